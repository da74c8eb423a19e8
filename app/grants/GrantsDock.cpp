#include "grants/GrantsDock.h"

#include "common/Sqlite.h"
#include "grants/GrantAnalysis.h"
#include "grants/GrantLedger.h"
#include "grants/Money.h"
#include "project/ProjectFile.h"
#include "project/Schema.h"

#include <QComboBox>
#include <QDateEdit>
#include <QDesktopServices>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QMimeDatabase>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableWidget>
#include <QUrl>
#include <QVBoxLayout>

#include <qgscoordinatetransform.h>
#include <qgsexception.h>
#include <qgsgeometry.h>
#include <qgsmapcanvas.h>
#include <qgsproject.h>

#include "common/GpkgGeometry.h"
#include "grants/OutcomeChart.h"
#include "grants/SiteMapTool.h"

namespace statdesk
{

namespace
{
//! A small form: labelled text, money, date and choice fields, read back by key.
class FormDialog : public QDialog
{
public:
  FormDialog( const QString &title, QWidget *parent )
      : QDialog( parent )
  {
    setWindowTitle( title );
    auto *layout = new QVBoxLayout( this );
    mForm = new QFormLayout();
    layout->addLayout( mForm );
    auto *buttons = new QDialogButtonBox( QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this );
    connect( buttons, &QDialogButtonBox::accepted, this, &QDialog::accept );
    connect( buttons, &QDialogButtonBox::rejected, this, &QDialog::reject );
    layout->addWidget( buttons );
  }
  void addText( const QString &key, const QString &label, const QString &value = QString() )
  {
    auto *e = new QLineEdit( value, this );
    mForm->addRow( label, e );
    mTexts.insert( key, e );
  }
  void addDate( const QString &key, const QString &label, const QDate &value = QDate::currentDate() )
  {
    auto *e = new QDateEdit( value, this );
    e->setCalendarPopup( true );
    e->setDisplayFormat( QStringLiteral( "yyyy-MM-dd" ) );
    mForm->addRow( label, e );
    mDates.insert( key, e );
  }
  void addChoice( const QString &key, const QString &label, const QStringList &choices, bool editable = false )
  {
    auto *c = new QComboBox( this );
    c->addItems( choices );
    c->setEditable( editable );
    mForm->addRow( label, c );
    mChoices.insert( key, c );
  }
  QString text( const QString &key ) const
  {
    if ( mTexts.contains( key ) )
      return mTexts.value( key )->text().trimmed();
    return mChoices.contains( key ) ? mChoices.value( key )->currentText() : QString();
  }
  QDate date( const QString &key ) const { return mDates.value( key )->date(); }
  //! Parses a money field; shows why when it is not an amount.
  bool money( const QString &key, qint64 *cents )
  {
    QString error;
    if ( grants::parseMoney( text( key ), cents, &error ) )
      return true;
    QMessageBox::warning( this, windowTitle(), error );
    return false;
  }

private:
  QFormLayout *mForm = nullptr;
  QMap<QString, QLineEdit *> mTexts;
  QMap<QString, QDateEdit *> mDates;
  QMap<QString, QComboBox *> mChoices;
};

QTableWidgetItem *item( const QString &text, bool number = false )
{
  auto *i = new QTableWidgetItem( text );
  i->setFlags( i->flags() & ~Qt::ItemIsEditable );
  if ( number )
    i->setTextAlignment( Qt::AlignRight | Qt::AlignVCenter );
  return i;
}

QTableWidget *makeTable( const QStringList &headers, QWidget *parent )
{
  auto *t = new QTableWidget( 0, headers.size(), parent );
  t->setHorizontalHeaderLabels( headers );
  t->setSelectionBehavior( QAbstractItemView::SelectRows );
  t->setSelectionMode( QAbstractItemView::SingleSelection );
  t->verticalHeader()->setVisible( false );
  t->horizontalHeader()->setStretchLastSection( true );
  return t;
}
} // namespace

GrantsDock::GrantsDock( ProjectFile *project, QgsMapCanvas *canvas, QWidget *parent )
    : QDockWidget( tr( "Neighborhood grants" ), parent ), mCanvas( canvas )
{
  setObjectName( QStringLiteral( "GrantsDock" ) );
  auto *tabs = new QTabWidget( this );
  tabs->addTab( buildLedgerTab(), tr( "Ledger" ) );
  tabs->addTab( buildNeedsTab(), tr( "Needs" ) );
  tabs->addTab( buildOutcomesTab(), tr( "Outcomes" ) );
  tabs->addTab( buildDashboardTab(), tr( "Dashboard" ) );
  setWidget( tabs );
  setProject( project );
}

void GrantsDock::setProject( ProjectFile *project )
{
  mProject = project;
  mNeedsNeighborhood->clear();
  if ( mProject )
  {
    SqliteStatement st( mProject->database(), QStringLiteral( "SELECT nbh_id, name FROM \"%1\" ORDER BY COALESCE(is_grant,0) DESC, name" ).arg( schema::kNeighborhoods ) );
    while ( st.next() )
      mNeedsNeighborhood->addItem( QStringLiteral( "%1 — %2" ).arg( st.text( 0 ), st.text( 1 ) ), st.text( 0 ) );
  }
  refresh();
}

QWidget *GrantsDock::buildLedgerTab()
{
  auto *w = new QWidget( this );
  auto *layout = new QVBoxLayout( w );
  mGrants = makeTable( { tr( "Id" ), tr( "Program" ), tr( "Neighborhood" ), tr( "Grantee" ), tr( "Status" ), tr( "Category" ), tr( "Award" ),
                         tr( "Disbursed" ), tr( "Remaining" ), tr( "Receipted" ) },
                       w );
  layout->addWidget( mGrants );
  auto addRow = [&]( const QList<QPair<QString, void ( GrantsDock::* )()>> &buttons )
  {
    auto *row = new QHBoxLayout();
    QList<QPushButton *> created;
    for ( const auto &b : buttons )
    {
      auto *button = new QPushButton( b.first, w );
      connect( button, &QPushButton::clicked, this, b.second );
      row->addWidget( button );
      created << button;
    }
    layout->addLayout( row );
    return created;
  };
  addRow( { { tr( "New program…" ), &GrantsDock::newProgram }, { tr( "New application…" ), &GrantsDock::newGrant }, { tr( "Award…" ), &GrantsDock::awardGrant }, { tr( "Status…" ), &GrantsDock::changeStatus } } );
  addRow( { { tr( "Disburse…" ), &GrantsDock::disburse }, { tr( "Expense + receipt…" ), &GrantsDock::addExpense }, { tr( "Milestone…" ), &GrantsDock::addMilestone }, { tr( "Open receipt…" ), &GrantsDock::openReceipt } } );
  const QList<QPushButton *> history = addRow( { { tr( "Undo" ), &GrantsDock::undo }, { tr( "Redo" ), &GrantsDock::redo }, { tr( "Import CSV…" ), &GrantsDock::importCsv }, { tr( "Export CSV…" ), &GrantsDock::exportCsv }, { tr( "Verify audit log" ), &GrantsDock::verify } } );
  mUndo = history.at( 0 );
  mRedo = history.at( 1 );
  layout->addWidget( new QLabel( tr( "Records of the selected grant" ), w ) );
  mDetails = makeTable( { tr( "Record" ), tr( "Date" ), tr( "Amount" ), tr( "Description" ) }, w );
  layout->addWidget( mDetails );
  addRow( { { tr( "Budget line…" ), &GrantsDock::addBudgetLine }, { tr( "In-kind match…" ), &GrantsDock::addInKind }, { tr( "Note…" ), &GrantsDock::addNote }, { tr( "Milestone done…" ), &GrantsDock::completeMilestone } } );
  addRow( { { tr( "Draw site on map…" ), &GrantsDock::drawSite }, { tr( "Zoom to sites" ), &GrantsDock::zoomToSites }, { tr( "Remove record" ), &GrantsDock::removeRecord } } );
  connect( mGrants, &QTableWidget::itemSelectionChanged, this, &GrantsDock::refreshDetails );
  mStatus = new QLabel( w );
  mStatus->setWordWrap( true );
  layout->addWidget( mStatus );
  return w;
}

QWidget *GrantsDock::buildNeedsTab()
{
  auto *w = new QWidget( this );
  auto *layout = new QVBoxLayout( w );
  auto *top = new QHBoxLayout();
  mNeedsNeighborhood = new QComboBox( w );
  mNeedsAsOf = new QDateEdit( QDate::currentDate(), w );
  mNeedsAsOf->setDisplayFormat( QStringLiteral( "yyyy-MM-dd" ) );
  mNeedsAsOf->setCalendarPopup( true );
  auto *show = new QPushButton( tr( "Show" ), w );
  auto *zoom = new QPushButton( tr( "Zoom to" ), w );
  top->addWidget( mNeedsNeighborhood, 1 );
  top->addWidget( new QLabel( tr( "as of" ), w ) );
  top->addWidget( mNeedsAsOf );
  top->addWidget( show );
  top->addWidget( zoom );
  layout->addLayout( top );
  connect( show, &QPushButton::clicked, this, &GrantsDock::showNeeds );
  connect( zoom, &QPushButton::clicked, this, &GrantsDock::zoomToNeighborhood );
  mNeedsSummary = new QLabel( w );
  mNeedsSummary->setWordWrap( true );
  layout->addWidget( mNeedsSummary );
  mNeedsBlight = makeTable( { tr( "Blight class" ), tr( "Open" ), tr( "Last 90 days" ) }, w );
  layout->addWidget( mNeedsBlight );
  mNeedsMonths = makeTable( { tr( "Month" ), tr( "Violent offenses" ) }, w );
  layout->addWidget( mNeedsMonths );
  return w;
}

QWidget *GrantsDock::buildOutcomesTab()
{
  auto *w = new QWidget( this );
  auto *layout = new QVBoxLayout( w );
  auto *form = new QFormLayout();
  mOutcomeMeasure = new QComboBox( w );
  mOutcomeMeasure->addItem( tr( "Violent offenses" ) );
  mOutcomeMeasure->addItem( tr( "Blight 311 requests" ) );
  mMonthsBefore = new QSpinBox( w );
  mMonthsBefore->setRange( 1, 60 );
  mMonthsBefore->setValue( 12 );
  mMonthsAfter = new QSpinBox( w );
  mMonthsAfter->setRange( 1, 60 );
  mMonthsAfter->setValue( 12 );
  mComparisons = new QSpinBox( w );
  mComparisons->setRange( 1, 50 );
  mComparisons->setValue( 5 );
  form->addRow( tr( "Measure" ), mOutcomeMeasure );
  form->addRow( tr( "Months before" ), mMonthsBefore );
  form->addRow( tr( "Months after" ), mMonthsAfter );
  form->addRow( tr( "Comparison neighborhoods" ), mComparisons );
  layout->addLayout( form );
  auto *run = new QPushButton( tr( "Estimate" ), w );
  connect( run, &QPushButton::clicked, this, &GrantsDock::runOutcomes );
  layout->addWidget( run );
  mOutcomes = makeTable( { tr( "Neighborhood" ), tr( "Start" ), tr( "Before" ), tr( "After" ), tr( "Comparison before" ), tr( "Comparison after" ),
                           tr( "Rate ratio" ), tr( "95% interval" ), tr( "WDD (SE)" ) },
                         w );
  layout->addWidget( mOutcomes );
  mOutcomeChart = new OutcomeChart( w );
  layout->addWidget( mOutcomeChart );
  mOutcomeText = new QPlainTextEdit( w );
  mOutcomeText->setReadOnly( true );
  layout->addWidget( mOutcomeText );
  return w;
}

QWidget *GrantsDock::buildDashboardTab()
{
  auto *w = new QWidget( this );
  auto *layout = new QVBoxLayout( w );
  mPrograms = makeTable( { tr( "Program" ), tr( "Budget" ), tr( "Awarded" ), tr( "Unallocated" ), tr( "Disbursed" ), tr( "Remaining" ), tr( "Grants" ) }, w );
  layout->addWidget( mPrograms );
  mDashboardGrants = makeTable( { tr( "Neighborhood" ), tr( "Award" ), tr( "Disbursed" ), tr( "Remaining" ) }, w );
  layout->addWidget( mDashboardGrants );
  layout->addWidget( new QLabel( tr( "Flags" ), w ) );
  mFlags = new QPlainTextEdit( w );
  mFlags->setReadOnly( true );
  layout->addWidget( mFlags );
  return w;
}

void GrantsDock::refresh()
{
  const qint64 selected = selectedGrant();
  const QSignalBlocker blocker( mGrants );
  mGrants->setRowCount( 0 );
  mPrograms->setRowCount( 0 );
  mDashboardGrants->setRowCount( 0 );
  mFlags->clear();
  mUndo->setEnabled( false );
  mRedo->setEnabled( false );
  if ( !mProject )
    return;
  grants::GrantLedger ledger( *mProject );
  const grants::Dashboard d = ledger.dashboard();
  for ( const grants::GrantFigures &g : d.grants )
  {
    const int r = mGrants->rowCount();
    mGrants->insertRow( r );
    mGrants->setItem( r, 0, item( QString::number( g.grantId ), true ) );
    mGrants->setItem( r, 1, item( g.program ) );
    mGrants->setItem( r, 2, item( g.neighborhood.isEmpty() ? g.nbhId : QStringLiteral( "%1 (%2)" ).arg( g.neighborhood, g.nbhId ) ) );
    mGrants->setItem( r, 3, item( g.grantee ) );
    mGrants->setItem( r, 4, item( g.status ) );
    mGrants->setItem( r, 5, item( g.category ) );
    mGrants->setItem( r, 6, item( grants::formatMoney( g.awardCents ), true ) );
    mGrants->setItem( r, 7, item( grants::formatMoney( g.disbursedCents ), true ) );
    mGrants->setItem( r, 8, item( grants::formatMoney( g.remainingCents ), true ) );
    mGrants->setItem( r, 9, item( grants::formatMoney( g.receiptedCents ), true ) );
    const int dr = mDashboardGrants->rowCount();
    mDashboardGrants->insertRow( dr );
    mDashboardGrants->setItem( dr, 0, item( g.neighborhood.isEmpty() ? g.nbhId : g.neighborhood ) );
    mDashboardGrants->setItem( dr, 1, item( grants::formatMoney( g.awardCents ), true ) );
    mDashboardGrants->setItem( dr, 2, item( grants::formatMoney( g.disbursedCents ), true ) );
    mDashboardGrants->setItem( dr, 3, item( grants::formatMoney( g.remainingCents ), true ) );
  }
  for ( const grants::ProgramFigures &p : d.programs )
  {
    const int r = mPrograms->rowCount();
    mPrograms->insertRow( r );
    mPrograms->setItem( r, 0, item( p.name ) );
    mPrograms->setItem( r, 1, item( grants::formatMoney( p.budgetCents ), true ) );
    mPrograms->setItem( r, 2, item( grants::formatMoney( p.awardedCents ), true ) );
    mPrograms->setItem( r, 3, item( grants::formatMoney( p.unallocatedCents ), true ) );
    mPrograms->setItem( r, 4, item( grants::formatMoney( p.disbursedCents ), true ) );
    mPrograms->setItem( r, 5, item( grants::formatMoney( p.remainingCents ), true ) );
    mPrograms->setItem( r, 6, item( QString::number( p.grants ), true ) );
  }
  QStringList flags;
  for ( const grants::LedgerFlag &f : d.flags )
    flags << f.message;
  mFlags->setPlainText( flags.isEmpty() ? tr( "Nothing to flag." ) : flags.join( QLatin1Char( '\n' ) ) );
  const bool writable = !mProject->isReadOnly();
  mUndo->setEnabled( writable && ledger.canUndo() );
  mRedo->setEnabled( writable && ledger.canRedo() );
  mUndo->setToolTip( ledger.undoText() );
  mRedo->setToolTip( ledger.redoText() );
  for ( int r = 0; r < mGrants->rowCount(); ++r )
    if ( mGrants->item( r, 0 )->text().toLongLong() == selected )
      mGrants->selectRow( r );
  refreshDetails();
}

bool GrantsDock::selectGrant( qint64 grantId )
{
  for ( int r = 0; r < mGrants->rowCount(); ++r )
  {
    if ( mGrants->item( r, 0 )->text().toLongLong() == grantId )
    {
      mGrants->selectRow( r );
      return true;
    }
  }
  return false;
}

qint64 GrantsDock::selectedGrant() const
{
  const int row = mGrants->currentRow();
  return row < 0 || !mGrants->item( row, 0 ) ? 0 : mGrants->item( row, 0 )->text().toLongLong();
}

bool GrantsDock::requireProject()
{
  if ( mProject && !mProject->isReadOnly() )
    return true;
  QMessageBox::information( this, windowTitle(), mProject ? tr( "The project is open read-only." ) : tr( "Open a project first." ) );
  return false;
}

void GrantsDock::reportResult( bool ok, const QString &error )
{
  if ( !ok )
  {
    mStatus->setText( error );
    QMessageBox::warning( this, windowTitle(), error );
    return;
  }
  mStatus->clear();
  refresh();
  emit ledgerChanged();
}

void GrantsDock::newProgram()
{
  if ( !requireProject() )
    return;
  FormDialog dlg( tr( "New grant program" ), this );
  dlg.addText( QStringLiteral( "name" ), tr( "Name" ), tr( "Neighborhood Pilot Grant" ) );
  dlg.addText( QStringLiteral( "cap" ), tr( "Cap per neighborhood" ), QStringLiteral( "20,000.00" ) );
  dlg.addText( QStringLiteral( "budget" ), tr( "Total budget" ), QStringLiteral( "260,000.00" ) );
  dlg.addDate( QStringLiteral( "start" ), tr( "Cycle start" ) );
  dlg.addDate( QStringLiteral( "end" ), tr( "Cycle end" ), QDate::currentDate().addYears( 1 ) );
  dlg.addChoice( QStringLiteral( "match" ), tr( "Match required" ), { tr( "No" ), tr( "Yes" ) } );
  if ( dlg.exec() != QDialog::Accepted )
    return;
  grants::ProgramInput in;
  in.name = dlg.text( QStringLiteral( "name" ) );
  if ( !dlg.money( QStringLiteral( "cap" ), &in.capCents ) || !dlg.money( QStringLiteral( "budget" ), &in.budgetCents ) )
    return;
  in.cycleStart = dlg.date( QStringLiteral( "start" ) );
  in.cycleEnd = dlg.date( QStringLiteral( "end" ) );
  in.matchRequired = dlg.text( QStringLiteral( "match" ) ) == tr( "Yes" );
  grants::GrantLedger ledger( *mProject );
  reportResult( ledger.addProgram( in ) > 0, ledger.errorString() );
}

void GrantsDock::newGrant()
{
  if ( !requireProject() )
    return;
  QStringList programs, hoods;
  {
    SqliteDatabase &db = mProject->database();
    if ( db.tableExists( grants::tables::kPrograms ) )
    {
      SqliteStatement st( db, QStringLiteral( "SELECT name FROM programs ORDER BY fid" ) );
      while ( st.next() )
        programs << st.text( 0 );
    }
    for ( int i = 0; i < mNeedsNeighborhood->count(); ++i )
      hoods << mNeedsNeighborhood->itemData( i ).toString();
  }
  if ( programs.isEmpty() )
  {
    QMessageBox::information( this, windowTitle(), tr( "Create a program first." ) );
    return;
  }
  FormDialog dlg( tr( "New grant application" ), this );
  dlg.addChoice( QStringLiteral( "program" ), tr( "Program" ), programs );
  dlg.addChoice( QStringLiteral( "nbh" ), tr( "Neighborhood" ), hoods );
  dlg.addText( QStringLiteral( "grantee" ), tr( "Grantee organisation" ) );
  dlg.addText( QStringLiteral( "contact" ), tr( "Contact" ) );
  dlg.addChoice( QStringLiteral( "registration" ), tr( "Registration" ), { tr( "registered" ), tr( "pending" ), tr( "not registered" ) }, true );
  dlg.addChoice( QStringLiteral( "category" ), tr( "Priority category" ), grants::priorityCategories() );
  dlg.addDate( QStringLiteral( "start" ), tr( "Start" ) );
  dlg.addDate( QStringLiteral( "end" ), tr( "Completion deadline" ), QDate::currentDate().addMonths( 12 ) );
  if ( dlg.exec() != QDialog::Accepted )
    return;
  grants::GrantLedger ledger( *mProject );
  grants::GrantInput in;
  in.programId = ledger.programIdByName( dlg.text( QStringLiteral( "program" ) ) );
  in.nbhId = dlg.text( QStringLiteral( "nbh" ) );
  in.grantee = dlg.text( QStringLiteral( "grantee" ) );
  in.contact = dlg.text( QStringLiteral( "contact" ) );
  in.registrationStatus = dlg.text( QStringLiteral( "registration" ) );
  in.category = dlg.text( QStringLiteral( "category" ) );
  in.startDate = dlg.date( QStringLiteral( "start" ) );
  in.endDate = dlg.date( QStringLiteral( "end" ) );
  reportResult( ledger.addGrant( in ) > 0, ledger.errorString() );
}

void GrantsDock::awardGrant()
{
  const qint64 grant = selectedGrant();
  if ( !requireProject() || !grant )
    return;
  FormDialog dlg( tr( "Award grant %1" ).arg( grant ), this );
  dlg.addText( QStringLiteral( "amount" ), tr( "Award" ), QStringLiteral( "20,000.00" ) );
  if ( dlg.exec() != QDialog::Accepted )
    return;
  qint64 cents = 0;
  if ( !dlg.money( QStringLiteral( "amount" ), &cents ) )
    return;
  grants::GrantLedger ledger( *mProject );
  reportResult( ledger.award( grant, cents ), ledger.errorString() );
}

void GrantsDock::changeStatus()
{
  const qint64 grant = selectedGrant();
  if ( !requireProject() || !grant )
    return;
  FormDialog dlg( tr( "Status of grant %1" ).arg( grant ), this );
  dlg.addChoice( QStringLiteral( "status" ), tr( "New status" ), grants::grantStatuses() );
  dlg.addText( QStringLiteral( "reason" ), tr( "Reason (kept as a note)" ) );
  if ( dlg.exec() != QDialog::Accepted )
    return;
  grants::GrantLedger ledger( *mProject );
  reportResult( ledger.setStatus( grant, dlg.text( QStringLiteral( "status" ) ), dlg.text( QStringLiteral( "reason" ) ) ), ledger.errorString() );
}

void GrantsDock::disburse()
{
  const qint64 grant = selectedGrant();
  if ( !requireProject() || !grant )
    return;
  FormDialog dlg( tr( "Disburse to grant %1" ).arg( grant ), this );
  dlg.addText( QStringLiteral( "amount" ), tr( "Amount" ) );
  dlg.addDate( QStringLiteral( "date" ), tr( "Paid on" ) );
  dlg.addChoice( QStringLiteral( "kind" ), tr( "Kind" ), { QStringLiteral( "advance" ), QStringLiteral( "reimbursement" ) } );
  dlg.addText( QStringLiteral( "reference" ), tr( "Reference" ) );
  if ( dlg.exec() != QDialog::Accepted )
    return;
  qint64 cents = 0;
  if ( !dlg.money( QStringLiteral( "amount" ), &cents ) )
    return;
  grants::GrantLedger ledger( *mProject );
  reportResult( ledger.disburse( grant, dlg.date( QStringLiteral( "date" ) ), cents, dlg.text( QStringLiteral( "kind" ) ), dlg.text( QStringLiteral( "reference" ) ) ) > 0,
                ledger.errorString() );
}

void GrantsDock::addExpense()
{
  const qint64 grant = selectedGrant();
  if ( !requireProject() || !grant )
    return;
  FormDialog dlg( tr( "Expense of grant %1" ).arg( grant ), this );
  dlg.addText( QStringLiteral( "amount" ), tr( "Amount" ) );
  dlg.addDate( QStringLiteral( "date" ), tr( "Spent on" ) );
  dlg.addText( QStringLiteral( "vendor" ), tr( "Vendor" ) );
  dlg.addText( QStringLiteral( "description" ), tr( "Description" ) );
  if ( dlg.exec() != QDialog::Accepted )
    return;
  grants::ExpenseInput in;
  in.grantId = grant;
  if ( !dlg.money( QStringLiteral( "amount" ), &in.amountCents ) )
    return;
  in.spentOn = dlg.date( QStringLiteral( "date" ) );
  in.vendor = dlg.text( QStringLiteral( "vendor" ) );
  in.description = dlg.text( QStringLiteral( "description" ) );
  grants::GrantLedger ledger( *mProject );
  const qint64 expense = ledger.addExpense( in );
  if ( !expense )
  {
    reportResult( false, ledger.errorString() );
    return;
  }
  const QString file = QFileDialog::getOpenFileName( this, tr( "Receipt for expense %1 (cancel for none)" ).arg( expense ) );
  if ( !file.isEmpty() )
  {
    QFile f( file );
    if ( !f.open( QIODevice::ReadOnly ) )
    {
      reportResult( false, tr( "Expense %1 recorded, but %2 cannot be read: %3" ).arg( expense ).arg( file, f.errorString() ) );
      return;
    }
    if ( !ledger.attachReceipt( expense, QFileInfo( file ).fileName(), QMimeDatabase().mimeTypeForFile( file ).name(), f.readAll() ) )
    {
      reportResult( false, tr( "Expense %1 recorded, but the receipt was not: %2" ).arg( expense ).arg( ledger.errorString() ) );
      return;
    }
  }
  reportResult( true, QString() );
}

void GrantsDock::addMilestone()
{
  const qint64 grant = selectedGrant();
  if ( !requireProject() || !grant )
    return;
  FormDialog dlg( tr( "Milestone of grant %1" ).arg( grant ), this );
  dlg.addText( QStringLiteral( "title" ), tr( "Title" ) );
  dlg.addDate( QStringLiteral( "due" ), tr( "Due" ), QDate::currentDate().addMonths( 3 ) );
  if ( dlg.exec() != QDialog::Accepted )
    return;
  grants::GrantLedger ledger( *mProject );
  reportResult( ledger.addMilestone( grant, dlg.text( QStringLiteral( "title" ) ), dlg.date( QStringLiteral( "due" ) ) ) > 0, ledger.errorString() );
}

void GrantsDock::openReceipt()
{
  const qint64 grant = selectedGrant();
  if ( !mProject || !grant || !mProject->database().tableExists( grants::tables::kReceipts ) )
    return;
  QStringList names;
  QList<qint64> ids;
  SqliteStatement st( mProject->database(), QStringLiteral( "SELECT fid, file_name FROM receipts WHERE grant_id = ? ORDER BY fid" ) );
  st.bindInt64( 1, grant );
  while ( st.next() )
  {
    ids << st.int64( 0 );
    names << QStringLiteral( "%1: %2" ).arg( st.int64( 0 ) ).arg( st.text( 1 ) );
  }
  if ( names.isEmpty() )
  {
    QMessageBox::information( this, windowTitle(), tr( "Grant %1 has no receipts." ).arg( grant ) );
    return;
  }
  bool ok = false;
  const QString chosen = QInputDialog::getItem( this, windowTitle(), tr( "Receipt" ), names, 0, false, &ok );
  if ( !ok )
    return;
  const qint64 receipt = ids.value( names.indexOf( chosen ) );
  grants::GrantLedger ledger( *mProject );
  QByteArray content;
  QString fileName;
  if ( !ledger.receiptContent( receipt, &content, &fileName ) )
  {
    reportResult( false, ledger.errorString() );
    return;
  }
  // Hand a copy to the desktop's viewer; the project keeps the original.
  const QString dir = QStandardPaths::writableLocation( QStandardPaths::TempLocation );
  const QString path = QDir( dir ).filePath( QStringLiteral( "statdesk-receipt-%1-%2" ).arg( receipt ).arg( QFileInfo( fileName ).fileName() ) );
  QFile out( path );
  if ( !out.open( QIODevice::WriteOnly ) || out.write( content ) != content.size() )
  {
    reportResult( false, tr( "Cannot write %1: %2" ).arg( path, out.errorString() ) );
    return;
  }
  out.close();
  QDesktopServices::openUrl( QUrl::fromLocalFile( path ) );
}

void GrantsDock::undo()
{
  if ( !requireProject() )
    return;
  grants::GrantLedger ledger( *mProject );
  reportResult( ledger.undo(), ledger.errorString() );
}

void GrantsDock::redo()
{
  if ( !requireProject() )
    return;
  grants::GrantLedger ledger( *mProject );
  reportResult( ledger.redo(), ledger.errorString() );
}

void GrantsDock::importCsv()
{
  if ( !requireProject() )
    return;
  const QString file = QFileDialog::getOpenFileName( this, tr( "Import grants spreadsheet" ), QString(), tr( "CSV files (*.csv);;All files (*)" ) );
  if ( file.isEmpty() )
    return;
  grants::GrantLedger ledger( *mProject );
  const grants::ImportResult r = ledger.importCsv( file );
  if ( !r.error.isEmpty() )
  {
    reportResult( false, r.error );
    return;
  }
  QStringList lines{ tr( "%1 rows read, %2 imported, %3 refused (nothing of them was written)." ).arg( r.rowsRead ).arg( r.imported ).arg( r.errors.size() ) };
  for ( const grants::ImportRowError &e : r.errors )
    lines << tr( "Line %1: %2" ).arg( e.line ).arg( e.message );
  reportResult( true, QString() );
  QMessageBox::information( this, tr( "Grants import" ), lines.join( QLatin1Char( '\n' ) ) );
}

void GrantsDock::exportCsv()
{
  if ( !mProject )
    return;
  const QString file = QFileDialog::getSaveFileName( this, tr( "Export grants" ), QStringLiteral( "grants.csv" ), tr( "CSV files (*.csv)" ) );
  if ( file.isEmpty() )
    return;
  grants::GrantLedger ledger( *mProject );
  if ( !ledger.exportCsv( file ) )
    QMessageBox::warning( this, windowTitle(), ledger.errorString() );
}

void GrantsDock::verify()
{
  if ( !mProject )
    return;
  grants::GrantLedger ledger( *mProject );
  const grants::VerifyResult v = ledger.verify();
  QStringList lines;
  for ( const grants::AuditProblem &p : v.problems )
    lines << p.message;
  if ( v.ok )
    QMessageBox::information( this, tr( "Audit log" ), tr( "The audit log is intact: %1 entries, last hash %2." ).arg( v.entries ).arg( v.headHash ) );
  else
    QMessageBox::warning( this, tr( "Audit log" ), tr( "The audit log found %1 problem(s):\n%2" ).arg( v.problems.size() ).arg( lines.join( QLatin1Char( '\n' ) ) ) );
}

void GrantsDock::showNeeds()
{
  if ( !mProject || mNeedsNeighborhood->currentIndex() < 0 )
    return;
  grants::NeighborhoodNeeds n;
  QString error;
  if ( !grants::neighborhoodNeeds( *mProject, mNeedsNeighborhood->currentData().toString(), mNeedsAsOf->date(), &n, &error ) )
  {
    mNeedsSummary->setText( error );
    return;
  }
  mNeedsSummary->setText( tr( "%1 open blight requests (%2 new in the last %3 days), %4 vacant parcels, %5 dangerous buildings; violent offenses in the "
                              "last 12 months: %6 (12 months before: %7); %8 grant site(s)." )
                              .arg( n.blightOpen )
                              .arg( n.blightRecent )
                              .arg( n.recentDays )
                              .arg( n.vacantParcels )
                              .arg( n.dangerousBuildings )
                              .arg( n.violentLast12 )
                              .arg( n.violentPrevious12 )
                              .arg( n.siteIds.size() ) );
  mNeedsBlight->setRowCount( 0 );
  for ( const grants::BlightClassCount &c : std::as_const( n.blight ) )
  {
    const int r = mNeedsBlight->rowCount();
    mNeedsBlight->insertRow( r );
    mNeedsBlight->setItem( r, 0, item( c.blightClass ) );
    mNeedsBlight->setItem( r, 1, item( QString::number( c.open ), true ) );
    mNeedsBlight->setItem( r, 2, item( QString::number( c.recent ), true ) );
  }
  mNeedsMonths->setRowCount( 0 );
  for ( auto it = n.violentByMonth.constBegin(); it != n.violentByMonth.constEnd(); ++it )
  {
    const int r = mNeedsMonths->rowCount();
    mNeedsMonths->insertRow( r );
    mNeedsMonths->setItem( r, 0, item( it.key() ) );
    mNeedsMonths->setItem( r, 1, item( QString::number( it.value() ), true ) );
  }
}

void GrantsDock::zoomToNeighborhood()
{
  if ( !mProject || !mCanvas || mNeedsNeighborhood->currentIndex() < 0 )
    return;
  SqliteStatement st( mProject->database(), QStringLiteral( "SELECT geom FROM \"%1\" WHERE nbh_id = ?" ).arg( schema::kNeighborhoods ) );
  st.bindText( 1, mNeedsNeighborhood->currentData().toString() );
  if ( !st.next() )
    return;
  QgsRectangle box = geometryFromGpkgBlob( st.blob( 0 ) ).boundingBox();
  if ( box.isNull() )
    return;
  try
  {
    const QgsCoordinateTransform ct( mProject->crs(), mCanvas->mapSettings().destinationCrs(), QgsProject::instance()->transformContext() );
    box = ct.transformBoundingBox( box );
  }
  catch ( const QgsCsException &e )
  {
    mNeedsSummary->setText( tr( "Cannot show this neighborhood in the map's CRS: %1" ).arg( e.what() ) );
    return;
  }
  box.scale( 1.2 );
  mCanvas->setExtent( box );
  mCanvas->refresh();
}

void GrantsDock::runOutcomes()
{
  if ( !mProject )
    return;
  grants::OutcomeOptions o;
  o.measure = mOutcomeMeasure->currentIndex() == 1 ? grants::OutcomeOptions::Measure::Blight311 : grants::OutcomeOptions::Measure::ViolentOffenses;
  o.monthsBefore = mMonthsBefore->value();
  o.monthsAfter = mMonthsAfter->value();
  o.comparisons = mComparisons->value();
  grants::OutcomeResult r;
  QString error;
  QGuiApplication::setOverrideCursor( Qt::WaitCursor );
  const bool ok = grants::estimateOutcomes( *mProject, o, &r, &error );
  QGuiApplication::restoreOverrideCursor();
  mOutcomes->setRowCount( 0 );
  mOutcomeChart->setLines( {}, QString() );
  if ( !ok )
  {
    mOutcomeText->setPlainText( error );
    return;
  }
  QVector<OutcomeChart::Line> lines;
  for ( const grants::OutcomeRow &row : std::as_const( r.rows ) )
    lines << OutcomeChart::Line { row.name.isEmpty() ? row.nbhId : row.name, row.estimate, false };
  lines << OutcomeChart::Line { tr( "All grant neighborhoods" ), r.pooled, true };
  mOutcomeChart->setLines( lines, mOutcomeMeasure->currentText() );
  QStringList text;
  for ( const grants::OutcomeRow &row : std::as_const( r.rows ) )
  {
    const int i = mOutcomes->rowCount();
    mOutcomes->insertRow( i );
    mOutcomes->setItem( i, 0, item( row.name.isEmpty() ? row.nbhId : row.name ) );
    mOutcomes->setItem( i, 1, item( row.start.toString( Qt::ISODate ) ) );
    mOutcomes->setItem( i, 2, item( QString::number( row.estimate.treatedBefore ), true ) );
    mOutcomes->setItem( i, 3, item( QString::number( row.estimate.treatedAfter ), true ) );
    mOutcomes->setItem( i, 4, item( QString::number( row.estimate.comparisonBefore ), true ) );
    mOutcomes->setItem( i, 5, item( QString::number( row.estimate.comparisonAfter ), true ) );
    mOutcomes->setItem( i, 6, item( QString::number( row.estimate.rateRatio, 'f', 2 ), true ) );
    mOutcomes->setItem( i, 7, item( QStringLiteral( "%1 – %2" ).arg( row.estimate.ciLow, 0, 'f', 2 ).arg( row.estimate.ciHigh, 0, 'f', 2 ) ) );
    mOutcomes->setItem( i, 8, item( QStringLiteral( "%1 (%2)" ).arg( row.estimate.wdd, 0, 'f', 1 ).arg( row.estimate.wddSe, 0, 'f', 1 ), true ) );
    text << QStringLiteral( "%1: %2" ).arg( row.name.isEmpty() ? row.nbhId : row.name, row.verdict );
  }
  text << QString() << tr( "All grant neighborhoods: %1" ).arg( r.pooledVerdict ) << QString() << r.notes;
  mOutcomeText->setPlainText( text.join( QLatin1Char( '\n' ) ) );
}

// --- records of one grant -----------------------------------------------------------------

void GrantsDock::refreshDetails()
{
  mDetails->setRowCount( 0 );
  const qint64 grant = selectedGrant();
  if ( !mProject || !grant || !mProject->database().tableExists( grants::tables::kAuditLog ) )
    return;
  // One list of every record of the grant: what it is, its date, its amount, what it says.
  struct Source
  {
      QString table;
      QString title;
      QString sql; // selects fid, date, cents, text
  };
  const QVector<Source> sources {
    { grants::tables::kBudgetLines, tr( "Budget line" ), QStringLiteral( "SELECT fid, NULL, amount_cents, COALESCE(category, '') || ': ' || COALESCE(description, '') FROM budget_lines WHERE grant_id = ?" ) },
    { grants::tables::kDisbursements, tr( "Disbursement" ), QStringLiteral( "SELECT fid, paid_on, amount_cents, COALESCE(kind, '') || ' ' || COALESCE(reference, '') FROM disbursements WHERE grant_id = ?" ) },
    { grants::tables::kExpenses, tr( "Expense" ), QStringLiteral( "SELECT e.fid, e.spent_on, e.amount_cents, COALESCE(e.vendor, '') || ': ' || COALESCE(e.description, '') || "
                                                                 "(SELECT CASE WHEN COUNT(*) > 0 THEN ' (' || COUNT(*) || ' receipt' || CASE WHEN COUNT(*) > 1 THEN 's' ELSE '' END || ')' ELSE ' (no receipt)' END "
                                                                 "FROM receipts r WHERE r.expense_id = e.fid) FROM expenses e WHERE e.grant_id = ?" ) },
    { grants::tables::kInKindMatch, tr( "In-kind match" ), QStringLiteral( "SELECT fid, given_on, value_cents, COALESCE(description, '') || CASE WHEN source IS NULL OR source = '' THEN '' ELSE ' (' || source || ')' END FROM in_kind_match WHERE grant_id = ?" ) },
    { grants::tables::kMilestones, tr( "Milestone" ), QStringLiteral( "SELECT fid, due_on, NULL, title || CASE WHEN completed_on IS NULL THEN ' — open' ELSE ' — done ' || completed_on END FROM milestones WHERE grant_id = ?" ) },
    { grants::tables::kNotes, tr( "Note" ), QStringLiteral( "SELECT fid, substr(written_at, 1, 10), NULL, COALESCE(author, '') || ': ' || COALESCE(body, '') FROM notes WHERE grant_id = ?" ) },
    { grants::tables::kGrantSites, tr( "Site" ), QStringLiteral( "SELECT fid, NULL, NULL, COALESCE(label, '') || CASE WHEN kind IS NULL OR kind = '' THEN '' ELSE ' (' || kind || ')' END FROM grant_sites WHERE grant_id = ?" ) },
  };
  for ( const Source &source : sources )
  {
    SqliteStatement st( mProject->database(), source.sql );
    st.bindInt64( 1, grant );
    while ( st.next() )
    {
      const int r = mDetails->rowCount();
      mDetails->insertRow( r );
      QTableWidgetItem *kind = item( source.title );
      kind->setData( Qt::UserRole, source.table );
      kind->setData( Qt::UserRole + 1, st.int64( 0 ) );
      mDetails->setItem( r, 0, kind );
      mDetails->setItem( r, 1, item( st.text( 1 ) ) );
      mDetails->setItem( r, 2, item( st.isNull( 2 ) ? QString() : grants::formatMoney( st.int64( 2 ) ), true ) );
      mDetails->setItem( r, 3, item( st.text( 3 ) ) );
    }
  }
}

void GrantsDock::addBudgetLine()
{
  const qint64 grant = selectedGrant();
  if ( !requireProject() || !grant )
    return;
  FormDialog dlg( tr( "Budget line of grant %1" ).arg( grant ), this );
  dlg.addChoice( QStringLiteral( "category" ), tr( "Category" ), grants::priorityCategories(), true );
  dlg.addText( QStringLiteral( "description" ), tr( "Description" ) );
  dlg.addText( QStringLiteral( "amount" ), tr( "Amount" ) );
  if ( dlg.exec() != QDialog::Accepted )
    return;
  qint64 cents = 0;
  if ( !dlg.money( QStringLiteral( "amount" ), &cents ) )
    return;
  grants::GrantLedger ledger( *mProject );
  reportResult( ledger.addBudgetLine( grant, dlg.text( QStringLiteral( "category" ) ), dlg.text( QStringLiteral( "description" ) ), cents ) > 0, ledger.errorString() );
}

void GrantsDock::addInKind()
{
  const qint64 grant = selectedGrant();
  if ( !requireProject() || !grant )
    return;
  FormDialog dlg( tr( "In-kind match for grant %1" ).arg( grant ), this );
  dlg.addDate( QStringLiteral( "date" ), tr( "Given on" ) );
  dlg.addText( QStringLiteral( "description" ), tr( "Description (volunteer hours, materials …)" ) );
  dlg.addText( QStringLiteral( "value" ), tr( "Value" ) );
  dlg.addText( QStringLiteral( "source" ), tr( "Given by" ) );
  if ( dlg.exec() != QDialog::Accepted )
    return;
  qint64 cents = 0;
  if ( !dlg.money( QStringLiteral( "value" ), &cents ) )
    return;
  grants::GrantLedger ledger( *mProject );
  reportResult( ledger.addInKindMatch( grant, dlg.date( QStringLiteral( "date" ) ), dlg.text( QStringLiteral( "description" ) ), cents, dlg.text( QStringLiteral( "source" ) ) ) > 0,
                ledger.errorString() );
}

void GrantsDock::addNote()
{
  const qint64 grant = selectedGrant();
  if ( !requireProject() || !grant )
    return;
  bool ok = false;
  const QString text = QInputDialog::getMultiLineText( this, tr( "Note on grant %1" ).arg( grant ), tr( "Note" ), QString(), &ok );
  if ( !ok || text.trimmed().isEmpty() )
    return;
  grants::GrantLedger ledger( *mProject );
  reportResult( ledger.addNote( grant, text.trimmed() ) > 0, ledger.errorString() );
}

qint64 GrantsDock::selectedRecord( const QString &table ) const
{
  const int row = mDetails->currentRow();
  if ( row < 0 || !mDetails->item( row, 0 ) )
    return 0;
  const QTableWidgetItem *kind = mDetails->item( row, 0 );
  if ( !table.isEmpty() && kind->data( Qt::UserRole ).toString() != table )
    return 0;
  return kind->data( Qt::UserRole + 1 ).toLongLong();
}

void GrantsDock::completeMilestone()
{
  const qint64 milestone = selectedRecord( grants::tables::kMilestones );
  if ( !requireProject() )
    return;
  if ( !milestone )
  {
    mStatus->setText( tr( "Select a milestone in the records of the grant first." ) );
    return;
  }
  FormDialog dlg( tr( "Milestone %1 done" ).arg( milestone ), this );
  dlg.addDate( QStringLiteral( "date" ), tr( "Completed on" ) );
  if ( dlg.exec() != QDialog::Accepted )
    return;
  grants::GrantLedger ledger( *mProject );
  reportResult( ledger.completeMilestone( milestone, dlg.date( QStringLiteral( "date" ) ) ), ledger.errorString() );
}

void GrantsDock::removeRecord()
{
  if ( !requireProject() )
    return;
  const int row = mDetails->currentRow();
  const qint64 fid = selectedRecord( QString() );
  if ( row < 0 || !fid )
  {
    mStatus->setText( tr( "Select a record of the grant first." ) );
    return;
  }
  const QString table = mDetails->item( row, 0 )->data( Qt::UserRole ).toString();
  if ( QMessageBox::question( this, windowTitle(), tr( "Remove %1 “%2”? The audit log keeps it, and Undo brings it back." ).arg( mDetails->item( row, 0 )->text().toLower(), mDetails->item( row, 3 )->text() ) ) != QMessageBox::Yes )
    return;
  grants::GrantLedger ledger( *mProject );
  reportResult( ledger.removeRow( table, fid ), ledger.errorString() );
}

void GrantsDock::drawSite()
{
  const qint64 grant = selectedGrant();
  if ( !requireProject() || !grant || !mCanvas )
    return;
  FormDialog dlg( tr( "Site of grant %1" ).arg( grant ), this );
  dlg.addChoice( QStringLiteral( "shape" ), tr( "Shape" ), { tr( "Point (a lit corner, a camera)" ), tr( "Area (a cleaned lot, a garden)" ) } );
  dlg.addText( QStringLiteral( "label" ), tr( "Label" ) );
  dlg.addChoice( QStringLiteral( "kind" ), tr( "Kind" ), grants::priorityCategories(), true );
  if ( dlg.exec() != QDialog::Accepted )
    return;
  startSiteDrawing( grant, dlg.text( QStringLiteral( "shape" ) ).startsWith( tr( "Area" ) ) ? SiteMapTool::Shape::Area : SiteMapTool::Shape::Point,
                    dlg.text( QStringLiteral( "label" ) ), dlg.text( QStringLiteral( "kind" ) ) );
}

SiteMapTool *GrantsDock::startSiteDrawing( qint64 grantId, SiteMapTool::Shape shape, const QString &label, const QString &kind )
{
  if ( !mCanvas || !mProject )
    return nullptr;
  delete mSiteTool;
  mPreviousTool = mCanvas->mapTool();
  mSiteTool = new SiteMapTool( mCanvas, shape );
  connect( mSiteTool, &SiteMapTool::siteDrawn, this, [this, grantId, label, kind]( const QgsGeometry &drawn ) {
    QgsGeometry geometry = drawn;
    try
    {
      geometry.transform( QgsCoordinateTransform( mCanvas->mapSettings().destinationCrs(), mProject->crs(), QgsProject::instance()->transformContext() ) );
    }
    catch ( const QgsCsException &e )
    {
      reportResult( false, tr( "The site cannot be placed in the project's CRS: %1" ).arg( e.what() ) );
      return;
    }
    stopSiteDrawing();
    grants::GrantLedger ledger( *mProject );
    reportResult( ledger.addSite( grantId, geometry, label, kind ) > 0, ledger.errorString() );
  } );
  connect( mSiteTool, &SiteMapTool::canceled, this, &GrantsDock::stopSiteDrawing );
  mCanvas->setMapTool( mSiteTool );
  mStatus->setText( shape == SiteMapTool::Shape::Point ? tr( "Click the site on the map (Esc cancels)." )
                                                       : tr( "Click the corners of the site on the map; right click or double click to finish, Backspace removes a corner, Esc cancels." ) );
  return mSiteTool;
}

void GrantsDock::stopSiteDrawing()
{
  if ( mCanvas && mSiteTool && mCanvas->mapTool() == mSiteTool )
  {
    if ( mPreviousTool )
      mCanvas->setMapTool( mPreviousTool );
    else
      mCanvas->unsetMapTool( mSiteTool );
  }
  if ( mSiteTool )
    mSiteTool->deleteLater();
  mSiteTool = nullptr;
  mStatus->clear();
}

void GrantsDock::zoomToSites()
{
  const qint64 grant = selectedGrant();
  if ( !mProject || !mCanvas || !grant || !mProject->database().tableExists( grants::tables::kGrantSites ) )
    return;
  SqliteStatement st( mProject->database(), QStringLiteral( "SELECT geom FROM grant_sites WHERE grant_id = ? AND geom IS NOT NULL" ) );
  st.bindInt64( 1, grant );
  QgsRectangle box;
  while ( st.next() )
  {
    const QgsRectangle r = geometryFromGpkgBlob( st.blob( 0 ) ).boundingBox();
    if ( box.isNull() )
      box = r;
    else
      box.combineExtentWith( r );
  }
  if ( box.isNull() )
  {
    mStatus->setText( tr( "Grant %1 has no sites on the map yet." ).arg( grant ) );
    return;
  }
  box.grow( std::max( 150.0, std::max( box.width(), box.height() ) * 0.5 ) );
  try
  {
    box = QgsCoordinateTransform( mProject->crs(), mCanvas->mapSettings().destinationCrs(), QgsProject::instance()->transformContext() ).transformBoundingBox( box );
  }
  catch ( const QgsCsException & )
  {
    return;
  }
  mCanvas->setExtent( box );
  mCanvas->refresh();
}

} // namespace statdesk
