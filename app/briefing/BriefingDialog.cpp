#include "BriefingDialog.h"
#include "BriefingTasks.h"

#include "project/ProjectFile.h"

#include <QComboBox>
#include <QDateEdit>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

#include <qgsapplication.h>

namespace statdesk
{

namespace
{
//! Resolution of preview pages (a letter page is 880 x 680 pixels), scaled to fit the preview area.
constexpr double kPreviewDpi = 80;
//! Quiet time after the last change to the form before a new preview starts.
constexpr int kPreviewDelayMs = 600;

QHBoxLayout *row( std::initializer_list<QWidget *> widgets, int stretchAfter = -1 )
{
  auto *layout = new QHBoxLayout;
  layout->setContentsMargins( 0, 0, 0, 0 );
  int i = 0;
  for ( QWidget *w : widgets )
  {
    layout->addWidget( w );
    if ( i++ == stretchAfter )
      layout->addStretch( 1 );
  }
  return layout;
}
} // namespace

BriefingDialog::BriefingDialog( ProjectFile *project, const QDate &filterFrom, const QDate &filterTo, QWidget *parent )
    : QDialog( parent ), mProject( project ), mFilterFrom( filterFrom ), mFilterTo( filterTo )
{
  setWindowTitle( tr( "Export Briefing PDF" ) );
  auto *form = new QWidget;
  buildForm( form );
  auto *splitter = new QSplitter( Qt::Horizontal );
  splitter->addWidget( form );
  splitter->addWidget( buildPreview() );
  splitter->setStretchFactor( 1, 1 );

  mExport = new QPushButton( tr( "Export PDF…" ) );
  mExport->setDefault( true );
  mCancelExport = new QPushButton( tr( "Cancel Export" ) );
  mCancelExport->setEnabled( false );
  mProgress = new QProgressBar;
  mProgress->setRange( 0, 100 );
  mProgress->setVisible( false );
  mExportStatus = new QLabel;
  mExportStatus->setWordWrap( true );
  mExportStatus->setTextInteractionFlags( Qt::TextSelectableByMouse );
  mOpenPdf = new QPushButton( tr( "Open PDF" ) );
  mOpenPdf->setVisible( false );
  auto *buttons = new QDialogButtonBox( QDialogButtonBox::Close );
  buttons->addButton( mExport, QDialogButtonBox::ActionRole );
  buttons->addButton( mCancelExport, QDialogButtonBox::ActionRole );
  connect( buttons, &QDialogButtonBox::rejected, this, &BriefingDialog::reject );
  connect( mExport, &QPushButton::clicked, this, &BriefingDialog::chooseExportFile );
  connect( mCancelExport, &QPushButton::clicked, this, [this]
           {
    if ( mExportTask )
      mExportTask->cancel(); } );
  connect( mOpenPdf, &QPushButton::clicked, this, [this]
           { QDesktopServices::openUrl( QUrl::fromLocalFile( mLastExport.pdfPath ) ); } );

  auto *layout = new QVBoxLayout( this );
  layout->addWidget( splitter, 1 );
  auto *status = new QHBoxLayout;
  status->addWidget( mExportStatus, 1 );
  status->addWidget( mOpenPdf );
  status->addWidget( mProgress );
  layout->addLayout( status );
  layout->addWidget( buttons );
  resize( 1280, 780 );

  mPreviewTimer = new QTimer( this );
  mPreviewTimer->setSingleShot( true );
  mPreviewTimer->setInterval( kPreviewDelayMs );
  connect( mPreviewTimer, &QTimer::timeout, this, &BriefingDialog::startPreview );
  optionsChanged();
}

BriefingDialog::~BriefingDialog()
{
  // Tasks own copies of what they need; the ones still running finish on their own.
  if ( mPreviewTask )
    mPreviewTask->cancel();
}

void BriefingDialog::buildForm( QWidget *form )
{
  auto *layout = new QFormLayout( form );
  layout->setFieldGrowthPolicy( QFormLayout::AllNonFixedFieldsGrow );

  mTemplate = new QComboBox;
  mTemplate->addItem( tr( "Citywide page" ), static_cast<int>( BriefingTemplate::Citywide ) );
  mTemplate->addItem( tr( "Grant neighborhood atlas (one page each)" ), static_cast<int>( BriefingTemplate::Neighborhoods ) );
  mTemplate->addItem( tr( "Task Force cluster sheets (one page each)" ), static_cast<int>( BriefingTemplate::Clusters ) );
  layout->addRow( tr( "Template" ), mTemplate );

  mPeriodChoice = new QComboBox;
  mPeriodChoice->addItem( tr( "Default for this version" ), static_cast<int>( PeriodChoice::Default ) );
  const bool haveFilter = mFilterFrom.isValid() || mFilterTo.isValid();
  if ( haveFilter )
    mPeriodChoice->addItem( tr( "Map date filter (%1 to %2)" )
                                .arg( mFilterFrom.isValid() ? mFilterFrom.toString( Qt::ISODate ) : tr( "start" ),
                                      mFilterTo.isValid() ? mFilterTo.toString( Qt::ISODate ) : tr( "latest" ) ),
                            static_cast<int>( PeriodChoice::MapFilter ) );
  mPeriodChoice->addItem( tr( "Custom dates" ), static_cast<int>( PeriodChoice::Custom ) );
  mPeriodChoice->setCurrentIndex( mPeriodChoice->findData( static_cast<int>( haveFilter ? PeriodChoice::MapFilter : PeriodChoice::Default ) ) );
  layout->addRow( tr( "Period" ), mPeriodChoice );
  mFrom = new QDateEdit;
  mTo = new QDateEdit;
  for ( QDateEdit *edit : { mFrom, mTo } )
  {
    edit->setCalendarPopup( true );
    edit->setDisplayFormat( QStringLiteral( "yyyy-MM-dd" ) );
  }
  layout->addRow( QString(), row( { mFrom, new QLabel( tr( "to" ) ), mTo }, 2 ) );
  mPeriodText = new QLabel;
  mPeriodText->setWordWrap( true );
  layout->addRow( QString(), mPeriodText );

  mRestricted = new QRadioButton( tr( "Restricted" ) );
  mPublic = new QRadioButton( tr( "Public" ) );
  mRestricted->setChecked( true );
  mThreshold = new QSpinBox;
  mThreshold->setRange( 1, 1000 );
  mThreshold->setValue( BriefingOptions().suppressionThreshold );
  mThreshold->setPrefix( tr( "hide counts below " ) );
  layout->addRow( tr( "Version" ), row( { mRestricted, mPublic, mThreshold }, 2 ) );
  mModeText = new QLabel;
  mModeText->setWordWrap( true );
  layout->addRow( QString(), mModeText );

  mPageSize = new QComboBox;
  mPageSize->addItem( tr( "Letter" ), static_cast<int>( BriefingPageSize::Letter ) );
  mPageSize->addItem( tr( "A4" ), static_cast<int>( BriefingPageSize::A4 ) );
  mOrientation = new QComboBox;
  mOrientation->addItem( tr( "Landscape" ), static_cast<int>( BriefingOrientation::Landscape ) );
  mOrientation->addItem( tr( "Portrait" ), static_cast<int>( BriefingOrientation::Portrait ) );
  layout->addRow( tr( "Page" ), row( { mPageSize, mOrientation }, 1 ) );

  mTitle = new QLineEdit;
  mTitle->setClearButtonEnabled( true );
  layout->addRow( tr( "Title" ), mTitle );

  mLogo = new QLineEdit;
  mLogo->setPlaceholderText( tr( "none" ) );
  mLogo->setClearButtonEnabled( true );
  auto *logoButton = new QPushButton( tr( "Browse…" ) );
  connect( logoButton, &QPushButton::clicked, this, &BriefingDialog::chooseLogo );
  layout->addRow( tr( "Logo" ), row( { mLogo, logoButton } ) );

  mLayoutTemplate = new QLineEdit;
  mLayoutTemplate->setPlaceholderText( tr( "built-in" ) );
  mLayoutTemplate->setClearButtonEnabled( true );
  mLayoutTemplate->setToolTip( tr( "A QGIS layout template (.qpt) edited in the QGIS layout designer; its items keep the ids of the built-in one" ) );
  auto *layoutButton = new QPushButton( tr( "Browse…" ) );
  connect( layoutButton, &QPushButton::clicked, this, &BriefingDialog::chooseLayoutTemplate );
  auto *saveBuiltIn = new QPushButton( tr( "Save Built-in…" ) );
  saveBuiltIn->setToolTip( tr( "Save the built-in template of this template, page size and orientation, to edit it in QGIS" ) );
  connect( saveBuiltIn, &QPushButton::clicked, this, &BriefingDialog::saveBuiltInTemplate );
  layout->addRow( tr( "Layout" ), row( { mLayoutTemplate, layoutButton, saveBuiltIn } ) );

  // Dates start at what the period resolves to; they are edited only for custom dates.
  const BriefingPeriod start = period();
  mFrom->setDate( start.from );
  mTo->setDate( start.to );

  for ( QComboBox *combo : { mTemplate, mPeriodChoice, mPageSize, mOrientation } )
    connect( combo, qOverload<int>( &QComboBox::currentIndexChanged ), this, &BriefingDialog::optionsChanged );
  for ( QDateEdit *edit : { mFrom, mTo } )
    connect( edit, &QDateEdit::dateChanged, this, &BriefingDialog::optionsChanged );
  connect( mPublic, &QRadioButton::toggled, this, &BriefingDialog::optionsChanged );
  connect( mThreshold, qOverload<int>( &QSpinBox::valueChanged ), this, &BriefingDialog::optionsChanged );
  for ( QLineEdit *edit : { mTitle, mLogo, mLayoutTemplate } )
    connect( edit, &QLineEdit::editingFinished, this, [this, edit]
             {
      if ( edit->isModified() )
      {
        edit->setModified( false );
        optionsChanged();
      } } );
}

QWidget *BriefingDialog::buildPreview()
{
  auto *widget = new QWidget;
  auto *layout = new QVBoxLayout( widget );
  layout->setContentsMargins( 0, 0, 0, 0 );
  mPreviewLabel = new QLabel;
  mPreviewLabel->setAlignment( Qt::AlignCenter );
  mPreviewLabel->setBackgroundRole( QPalette::Dark );
  mPreviewArea = new QScrollArea;
  mPreviewArea->setBackgroundRole( QPalette::Dark );
  mPreviewArea->setAlignment( Qt::AlignCenter );
  mPreviewArea->setWidget( mPreviewLabel );
  mPreviewArea->setWidgetResizable( true );
  mPreviewArea->viewport()->installEventFilter( this );
  layout->addWidget( mPreviewArea, 1 );

  mPrevious = new QPushButton( tr( "◀ Previous" ) );
  mNext = new QPushButton( tr( "Next ▶" ) );
  mPageText = new QLabel;
  mPreviewStatus = new QLabel;
  mPreviewStatus->setWordWrap( true );
  auto *refresh = new QPushButton( tr( "Refresh Preview" ) );
  connect( mPrevious, &QPushButton::clicked, this, &BriefingDialog::previousPage );
  connect( mNext, &QPushButton::clicked, this, &BriefingDialog::nextPage );
  connect( refresh, &QPushButton::clicked, this, &BriefingDialog::refreshPreview );
  auto *nav = new QHBoxLayout;
  nav->addWidget( mPrevious );
  nav->addWidget( mPageText );
  nav->addWidget( mNext );
  nav->addWidget( mPreviewStatus, 1 );
  nav->addWidget( refresh );
  layout->addLayout( nav );
  return widget;
}

BriefingOptions BriefingDialog::options() const
{
  BriefingOptions o;
  o.kind = static_cast<BriefingTemplate>( mTemplate->currentData().toInt() );
  switch ( static_cast<PeriodChoice>( mPeriodChoice->currentData().toInt() ) )
  {
    case PeriodChoice::Default:
      break; // null dates: the exporter applies BriefingPeriod's default, as the CLI does
    case PeriodChoice::MapFilter:
      o.from = mFilterFrom;
      o.to = mFilterTo;
      break;
    case PeriodChoice::Custom:
      o.from = mFrom->date();
      o.to = mTo->date();
      break;
  }
  o.publicMode = mPublic->isChecked();
  o.suppressionThreshold = mThreshold->value();
  o.pageSize = static_cast<BriefingPageSize>( mPageSize->currentData().toInt() );
  o.orientation = static_cast<BriefingOrientation>( mOrientation->currentData().toInt() );
  o.title = mTitle->text().trimmed();
  o.logoPath = mLogo->text().trimmed();
  o.templatePath = mLayoutTemplate->text().trimmed();
  return o;
}

BriefingPeriod BriefingDialog::period() const
{
  const BriefingOptions o = options();
  return BriefingPeriod::resolve( mProject->database(), o.from, o.to, o.publicMode );
}

QString BriefingDialog::defaultTitle( BriefingTemplate kind ) const
{
  const QString city = mProject->cityName().isEmpty() ? tr( "City" ) : mProject->cityName();
  switch ( kind )
  {
    case BriefingTemplate::Citywide:
      return tr( "%1: citywide briefing" ).arg( city );
    case BriefingTemplate::Neighborhoods:
      return tr( "%1: <neighborhood name> on each page" ).arg( city );
    case BriefingTemplate::Clusters:
      return tr( "%1: cluster <label> on each page" ).arg( city );
  }
  return QString();
}

void BriefingDialog::updateTexts()
{
  const BriefingOptions o = options();
  const bool custom = static_cast<PeriodChoice>( mPeriodChoice->currentData().toInt() ) == PeriodChoice::Custom;
  mFrom->setEnabled( custom );
  mTo->setEnabled( custom );
  const BriefingPeriod p = period();
  if ( !custom )
  {
    const QSignalBlocker blockFrom( mFrom );
    const QSignalBlocker blockTo( mTo );
    mFrom->setDate( p.from );
    mTo->setDate( p.to );
  }
  if ( o.from.isValid() && o.to.isValid() && o.from > o.to )
    mPeriodText->setText( tr( "<b>The period starts after it ends.</b>" ) );
  else
    mPeriodText->setText( tr( "%1, %2 days%3; compared with %4." )
                              .arg( p.text() )
                              .arg( p.days() )
                              .arg( p.note.isEmpty() ? QString() : QStringLiteral( " (%1)" ).arg( p.note ) )
                              .arg( p.previousText() ) );
  mThreshold->setEnabled( o.publicMode );
  mModeText->setText( o.publicMode ? tr( "For community partners: violent offenses only as counts per hexagon, hexagons with fewer than %1 "
                                         "offenses hidden and counts below %1 not printed; no incident locations, addresses or person-level data." )
                                         .arg( o.suppressionThreshold )
                                   : tr( "Incident points and 311 requests; every page is marked RESTRICTED (law enforcement and Task Force use)." ) );
  mTitle->setPlaceholderText( defaultTitle( o.kind ) );
}

void BriefingDialog::optionsChanged()
{
  updateTexts();
  const BriefingTemplate kind = static_cast<BriefingTemplate>( mTemplate->currentData().toInt() );
  if ( kind != mShownKind )
  {
    mShownKind = kind;
    mPage = 0;
    mPageCount = 0;
  }
  ++mGeneration;
  mPreviewImages.clear();
  if ( mPreviewTask )
    mPreviewTask->cancel();
  mPreviewStatus->setText( tr( "Preview follows…" ) );
  mPreviewTimer->start();
}

void BriefingDialog::refreshPreview()
{
  ++mGeneration;
  mPreviewImages.clear();
  if ( mPreviewTask )
    mPreviewTask->cancel();
  mPreviewTimer->stop();
  startPreview();
}

void BriefingDialog::nextPage()
{
  if ( mPage + 1 >= mPageCount )
    return;
  ++mPage;
  showPage();
}

void BriefingDialog::previousPage()
{
  if ( mPage <= 0 )
    return;
  --mPage;
  showPage();
}

void BriefingDialog::showPage()
{
  mPrevious->setEnabled( mPage > 0 );
  mNext->setEnabled( mPage + 1 < mPageCount );
  mPageText->setText( mPageCount > 0 ? tr( "Page %1 of %2" ).arg( mPage + 1 ).arg( mPageCount ) : QString() );
  if ( mPreviewImages.contains( mPage ) )
  {
    fitPreview();
    mPreviewStatus->clear();
  }
  else
  {
    startPreview();
  }
}

void BriefingDialog::fitPreview()
{
  const QImage image = mPreviewImages.value( mPage );
  if ( image.isNull() )
    return;
  const QSize room = mPreviewArea->viewport()->size() - QSize( 8, 8 );
  mPreviewLabel->setPixmap( QPixmap::fromImage( image.scaled( room.expandedTo( QSize( 50, 50 ) ), Qt::KeepAspectRatio, Qt::SmoothTransformation ) ) );
}

bool BriefingDialog::eventFilter( QObject *watched, QEvent *event )
{
  if ( watched == mPreviewArea->viewport() && event->type() == QEvent::Resize )
    fitPreview();
  return QDialog::eventFilter( watched, event );
}

void BriefingDialog::startPreview()
{
  const BriefingOptions o = options();
  if ( o.from.isValid() && o.to.isValid() && o.from > o.to )
  {
    mPreviewStatus->setText( tr( "No preview: the period starts after it ends." ) );
    return;
  }
  if ( mPreviewTask )
    mPreviewTask->cancel();
  auto *task = new BriefingPreviewTask( mProject->path(), o, mPage, kPreviewDpi );
  task->setProperty( "generation", mGeneration );
  mPreviewTask = task;
  connect( task, &QgsTask::taskCompleted, this, [this, task]
           { previewDone( task, true ); } );
  connect( task, &QgsTask::taskTerminated, this, [this, task]
           { previewDone( task, false ); } );
  mPreviewStatus->setText( tr( "Rendering page %1…" ).arg( mPage + 1 ) );
  QgsApplication::taskManager()->addTask( task );
}

void BriefingDialog::previewDone( BriefingPreviewTask *task, bool ok )
{
  if ( task == mPreviewTask )
    mPreviewTask = nullptr;
  if ( task->property( "generation" ).toInt() != mGeneration )
    return; // the form changed since: a newer preview is on its way
  const BriefingResult &r = task->result();
  if ( r.pages > 0 )
    mPageCount = r.pages;
  if ( !r.ok && r.pages > 0 && task->page() >= r.pages )
  {
    mPage = r.pages - 1; // fewer pages than before (e.g. another period): show the last one
    showPage();
    return;
  }
  if ( !ok || !r.ok )
  {
    if ( !task->wasCanceled() )
    {
      mPreviewLabel->clear();
      mPreviewStatus->setText( tr( "No preview: %1" ).arg( r.error.isEmpty() ? tr( "cancelled" ) : r.error ) );
    }
    emit previewFinished( false );
    return;
  }
  mPreviewImages.insert( task->page(), task->image() );
  if ( task->page() == mPage )
    showPage();
  emit previewFinished( true );
}

void BriefingDialog::chooseExportFile()
{
  const BriefingOptions o = options();
  const BriefingPeriod p = period();
  const QString name = QStringLiteral( "%1_%2_%3%4.pdf" )
                           .arg( mProject->cityName().isEmpty() ? QStringLiteral( "briefing" ) : mProject->cityName().simplified().replace( QLatin1Char( ' ' ), QLatin1Char( '_' ) ),
                                 briefingTemplateName( o.kind ), p.to.toString( Qt::ISODate ), o.publicMode ? QStringLiteral( "_public" ) : QString() );
  const QString dir = QFileInfo( mLastExport.pdfPath.isEmpty() ? mProject->path() : mLastExport.pdfPath ).absolutePath();
  QString path = QFileDialog::getSaveFileName( this, tr( "Export Briefing PDF" ), QDir( dir ).filePath( name ), tr( "PDF files (*.pdf)" ) );
  if ( path.isEmpty() )
    return;
  if ( !path.endsWith( QLatin1String( ".pdf" ), Qt::CaseInsensitive ) )
    path += QLatin1String( ".pdf" );
  exportTo( path );
}

bool BriefingDialog::exportTo( const QString &pdfPath )
{
  if ( mExportTask )
    return false;
  auto *task = new BriefingExportTask( mProject->path(), options(), pdfPath );
  mExportTask = task;
  connect( task, &QgsTask::progressChanged, mProgress, [this]( double p )
           { mProgress->setValue( static_cast<int>( p ) ); } );
  connect( task, &QgsTask::taskCompleted, this, [this, task]
           { exportDone( task, true ); } );
  connect( task, &QgsTask::taskTerminated, this, [this, task]
           { exportDone( task, false ); } );
  mExport->setEnabled( false );
  mCancelExport->setEnabled( true );
  mOpenPdf->setVisible( false );
  mProgress->setValue( 0 );
  mProgress->setVisible( true );
  mExportStatus->setText( tr( "Exporting %1…" ).arg( QDir::toNativeSeparators( pdfPath ) ) );
  QgsApplication::taskManager()->addTask( task );
  return true;
}

void BriefingDialog::exportDone( BriefingExportTask *task, bool ok )
{
  mExportTask = nullptr;
  mLastExport = task->result();
  mExport->setEnabled( true );
  mCancelExport->setEnabled( false );
  mProgress->setVisible( false );
  if ( ok && mLastExport.ok )
  {
    mExportStatus->setText( tr( "Wrote %1: %2, %3 KB in %4 s." )
                                .arg( QDir::toNativeSeparators( mLastExport.pdfPath ) )
                                .arg( mLastExport.pages == 1 ? tr( "1 page" ) : tr( "%1 pages" ).arg( mLastExport.pages ) )
                                .arg( ( mLastExport.bytes + 1023 ) / 1024 )
                                .arg( mLastExport.elapsedMs / 1000.0, 0, 'f', 1 ) );
    mOpenPdf->setVisible( true );
  }
  else
  {
    mExportStatus->setText( tr( "No PDF written: %1" ).arg( mLastExport.error.isEmpty() ? tr( "cancelled" ) : mLastExport.error ) );
  }
  emit exportFinished( ok && mLastExport.ok );
}

void BriefingDialog::reject()
{
  if ( mExportTask )
    mExportTask->cancel();
  if ( mPreviewTask )
    mPreviewTask->cancel();
  QDialog::reject();
}

void BriefingDialog::chooseLogo()
{
  const QString path = QFileDialog::getOpenFileName( this, tr( "Logo" ), QFileInfo( mProject->path() ).absolutePath(), tr( "Images (*.svg *.png *.jpg *.jpeg)" ) );
  if ( path.isEmpty() )
    return;
  mLogo->setText( path );
  optionsChanged();
}

void BriefingDialog::chooseLayoutTemplate()
{
  const QString path = QFileDialog::getOpenFileName( this, tr( "Layout Template" ), QFileInfo( mProject->path() ).absolutePath(), tr( "QGIS layout templates (*.qpt)" ) );
  if ( path.isEmpty() )
    return;
  mLayoutTemplate->setText( path );
  optionsChanged();
}

void BriefingDialog::saveBuiltInTemplate()
{
  const BriefingOptions o = options();
  const QString resource = BriefingExporter::templateResource( o.kind, o.pageSize, o.orientation );
  const QString suggested = QDir( QFileInfo( mProject->path() ).absolutePath() ).filePath( QFileInfo( resource ).fileName() );
  QString path = QFileDialog::getSaveFileName( this, tr( "Save Built-in Layout Template" ), suggested, tr( "QGIS layout templates (*.qpt)" ) );
  if ( path.isEmpty() )
    return;
  if ( !path.endsWith( QLatin1String( ".qpt" ), Qt::CaseInsensitive ) )
    path += QLatin1String( ".qpt" );
  QFile::remove( path );
  if ( !QFile::copy( resource, path ) )
  {
    QMessageBox::warning( this, tr( "Save Built-in Layout Template" ), tr( "Cannot write %1." ).arg( QDir::toNativeSeparators( path ) ) );
    return;
  }
  QFile::setPermissions( path, QFile::permissions( path ) | QFile::WriteOwner ); // resources copy read-only
  mLayoutTemplate->setText( path );
  optionsChanged();
}

} // namespace statdesk
