#include "DateRangeWidget.h"

#include <QCalendarWidget>
#include <QCheckBox>
#include <QDateEdit>
#include <QHBoxLayout>
#include <QLabel>
#include <QSignalBlocker>

namespace statdesk
{

DateRangeWidget::DateRangeWidget( QWidget *parent )
  : QWidget( parent )
{
  auto *layout = new QHBoxLayout( this );
  layout->setContentsMargins( 6, 0, 6, 0 );
  layout->addWidget( new QLabel( tr( "Dates:" ), this ) );
  mAll = new QCheckBox( tr( "All dates" ), this );
  mAll->setChecked( true );
  mAll->setToolTip( tr( "Show incidents and 311 requests of every date" ) );
  mFrom = new QDateEdit( this );
  mTo = new QDateEdit( this );
  for ( QDateEdit *edit : { mFrom, mTo } )
  {
    edit->setCalendarPopup( true );
    edit->setDisplayFormat( QStringLiteral( "yyyy-MM-dd" ) );
    edit->setDate( QDate::currentDate() );
  }
  mFrom->setToolTip( tr( "First day shown (incidents by occurrence date, 311 requests by creation date)" ) );
  mTo->setToolTip( tr( "Last day shown (inclusive)" ) );
  layout->addWidget( mAll );
  layout->addWidget( mFrom );
  layout->addWidget( new QLabel( QStringLiteral( "–" ), this ) );
  layout->addWidget( mTo );
  updateEnabled();

  connect( mAll, &QCheckBox::toggled, this, [this] { updateEnabled(); emitChanged(); } );
  // editingFinished, not dateChanged: typing a year digit by digit must not refilter each time.
  connect( mFrom, &QDateEdit::editingFinished, this, &DateRangeWidget::emitChanged );
  connect( mTo, &QDateEdit::editingFinished, this, &DateRangeWidget::emitChanged );
  // The calendar popup changes the date without editingFinished.
  connect( mFrom, &QDateEdit::dateChanged, this, [this] { if ( mFrom->calendarWidget() && mFrom->calendarWidget()->isVisible() ) emitChanged(); } );
  connect( mTo, &QDateEdit::dateChanged, this, [this] { if ( mTo->calendarWidget() && mTo->calendarWidget()->isVisible() ) emitChanged(); } );
}

void DateRangeWidget::setDataRange( const QDate &first, const QDate &last )
{
  const QSignalBlocker b1( mFrom ), b2( mTo );
  if ( first.isValid() && last.isValid() )
  {
    // A little slack both ways: new data may extend the range.
    mFrom->setDateRange( first.addYears( -10 ), last.addYears( 10 ) );
    mTo->setDateRange( first.addYears( -10 ), last.addYears( 10 ) );
    if ( mAll->isChecked() )
    {
      mFrom->setDate( first );
      mTo->setDate( last );
    }
  }
}

void DateRangeWidget::setRange( const QDate &from, const QDate &to )
{
  mSilent = true;
  {
    const QSignalBlocker b0( mAll ), b1( mFrom ), b2( mTo );
    const bool all = !from.isValid() && !to.isValid();
    mAll->setChecked( all );
    if ( from.isValid() )
      mFrom->setDate( from );
    if ( to.isValid() )
      mTo->setDate( to );
  }
  updateEnabled();
  mSilent = false;
}

QDate DateRangeWidget::from() const
{
  return mAll->isChecked() ? QDate() : mFrom->date();
}

QDate DateRangeWidget::to() const
{
  return mAll->isChecked() ? QDate() : mTo->date();
}

bool DateRangeWidget::allDates() const
{
  return mAll->isChecked();
}

void DateRangeWidget::updateEnabled()
{
  mFrom->setEnabled( !mAll->isChecked() );
  mTo->setEnabled( !mAll->isChecked() );
}

void DateRangeWidget::emitChanged()
{
  if ( mSilent )
    return;
  if ( !mAll->isChecked() && mFrom->date() > mTo->date() )
  {
    // Keep the range meaningful: a "from" after "to" moves "to" along.
    const QSignalBlocker b( mTo );
    mTo->setDate( mFrom->date() );
  }
  emit rangeChanged( from(), to() );
}

} // namespace statdesk
