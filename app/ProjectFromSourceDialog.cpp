#include "ProjectFromSourceDialog.h"
#include "NewProjectDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QTimeZone>
#include <QToolButton>
#include <QVBoxLayout>

#include <qgsapplication.h>
#include <qgsfeedback.h>
#include <qgsprojectionselectionwidget.h>
#include <qgstaskmanager.h>

namespace statdesk
{

//! Runs ingest::createProjectFromSource in the task manager's thread.
class ProjectFromSourceTask : public QgsTask
{
    Q_OBJECT
  public:
    explicit ProjectFromSourceTask( const ingest::ProjectFromSourcePlan &plan )
      : QgsTask( QObject::tr( "Creating %1" ).arg( QFileInfo( plan.projectPath ).fileName() ), QgsTask::CanCancel ), mPlan( plan )
    {
    }
    void cancel() override
    {
      mFeedback.cancel();
      QgsTask::cancel();
    }
    ingest::ProjectFromSourceResult result() const { return mResult; }

  protected:
    bool run() override
    {
      connect(
          &mFeedback, &QgsFeedback::progressChanged, this, [this]( double p ) { setProgress( p ); }, Qt::DirectConnection );
      mResult = ingest::createProjectFromSource( mPlan, &mFeedback );
      return mResult.ok;
    }

  private:
    ingest::ProjectFromSourcePlan mPlan;
    QgsFeedback mFeedback;
    ingest::ProjectFromSourceResult mResult;
};

namespace
{
QString targetTitle( const QString &target )
{
  static const QMap<QString, QString> titles {
      { QStringLiteral( "crime" ), QObject::tr( "Crime incidents" ) },
      { QStringLiteral( "311" ), QObject::tr( "311 service requests" ) },
      { QStringLiteral( "vacant" ), QObject::tr( "Vacant parcels / Land Bank" ) },
      { QStringLiteral( "dangerous" ), QObject::tr( "Dangerous buildings" ) },
      { QStringLiteral( "neighborhoods" ), QObject::tr( "Neighborhood polygons" ) },
      { QStringLiteral( "boundary" ), QObject::tr( "Boundary polygons" ) },
      { ingest::kExtraTarget, QObject::tr( "Copy as it is (other layers)" ) },
      { ingest::kSkipTarget, QObject::tr( "Leave out" ) },
  };
  return titles.value( target, target );
}
} // namespace

ProjectFromSourceDialog::ProjectFromSourceDialog( const QString &sourcePath, QWidget *parent )
  : QDialog( parent ), mSourcePath( sourcePath )
{
  setWindowTitle( tr( "Create a Project from %1" ).arg( QFileInfo( sourcePath ).fileName() ) );
  mLayers = ingest::listSourceLayers( sourcePath, &mError );

  auto *layout = new QVBoxLayout( this );
  auto *intro = new QLabel( tr( "%1 is a GeoPackage but not a StatDesk project. StatDesk can make a new project from its layers: "
                                "records (crime, 311, vacant, dangerous buildings) go through the importer with its checks, "
                                "polygons become neighborhoods or boundaries, other layers are copied as they are. "
                                "The file itself is only read." )
                                .arg( QFileInfo( sourcePath ).fileName() ),
                            this );
  intro->setWordWrap( true );
  layout->addWidget( intro );

  mTable = new QTableWidget( mLayers.size(), 4, this );
  mTable->setHorizontalHeaderLabels( { tr( "Layer" ), tr( "Geometry" ), tr( "Features" ), tr( "Bring in as" ) } );
  mTable->verticalHeader()->hide();
  mTable->setSelectionMode( QAbstractItemView::NoSelection );
  mTable->setEditTriggers( QAbstractItemView::NoEditTriggers );
  for ( int row = 0; row < mLayers.size(); ++row )
  {
    const ingest::SourceLayerInfo &l = mLayers.at( row );
    mTable->setItem( row, 0, new QTableWidgetItem( l.name ) );
    mTable->setItem( row, 1, new QTableWidgetItem( l.geometry ) );
    auto *count = new QTableWidgetItem( l.features >= 0 ? QLocale().toString( l.features ) : tr( "unknown" ) );
    count->setTextAlignment( Qt::AlignRight | Qt::AlignVCenter );
    mTable->setItem( row, 2, count );
    auto *combo = new QComboBox( mTable );
    for ( const QString &t : ingest::layerTargets() )
      combo->addItem( targetTitle( t ), t );
    combo->setCurrentIndex( combo->findData( l.suggestedTarget ) );
    combo->setToolTip( tr( "Suggested: %1 (%2)" ).arg( targetTitle( l.suggestedTarget ), l.reason ) );
    mTable->setCellWidget( row, 3, combo );
  }
  mTable->horizontalHeader()->setSectionResizeMode( 0, QHeaderView::Stretch );
  mTable->resizeColumnsToContents();
  layout->addWidget( mTable, 1 );

  auto *form = new QFormLayout;
  mCityName = new QLineEdit( QFileInfo( sourcePath ).completeBaseName(), this );
  form->addRow( tr( "City name:" ), mCityName );
  mCrs = new QgsProjectionSelectionWidget( this );
  mCrs->setOptionVisible( QgsProjectionSelectionWidget::CrsNotSet, false );
  mCrs->setCrs( ingest::suggestProjectCrs( sourcePath, mLayers ) );
  form->addRow( tr( "Project CRS:" ), mCrs );
  mTimeZone = new QComboBox( this );
  for ( const QByteArray &id : QTimeZone::availableTimeZoneIds() )
    mTimeZone->addItem( QString::fromUtf8( id ) );
  const int zone = mTimeZone->findText( QStringLiteral( "America/Chicago" ) );
  mTimeZone->setCurrentIndex( zone >= 0 ? zone : mTimeZone->findText( QString::fromUtf8( QTimeZone::systemTimeZoneId() ) ) );
  mTimeZone->setToolTip( tr( "The time zone the city's dates and times are written in." ) );
  form->addRow( tr( "Time zone of the data:" ), mTimeZone );
  auto *pathRow = new QHBoxLayout;
  const QFileInfo source( sourcePath );
  mPath = new QLineEdit( source.absoluteDir().filePath( source.completeBaseName() + QStringLiteral( "-statdesk.gpkg" ) ), this );
  auto *browseButton = new QToolButton( this );
  browseButton->setText( QStringLiteral( "…" ) );
  connect( browseButton, &QToolButton::clicked, this, &ProjectFromSourceDialog::browse );
  pathRow->addWidget( mPath );
  pathRow->addWidget( browseButton );
  form->addRow( tr( "New project file:" ), pathRow );
  layout->addLayout( form );

  mMessage = new QLabel( mError, this );
  mMessage->setWordWrap( true );
  mMessage->setTextInteractionFlags( Qt::TextSelectableByMouse );
  layout->addWidget( mMessage );
  mProgress = new QProgressBar( this );
  mProgress->setRange( 0, 100 );
  mProgress->hide();
  layout->addWidget( mProgress );

  mButtons = new QDialogButtonBox( QDialogButtonBox::Cancel, this );
  QPushButton *createButton = mButtons->addButton( tr( "Create Project" ), QDialogButtonBox::AcceptRole );
  createButton->setEnabled( isUsable() );
  connect( createButton, &QPushButton::clicked, this, &ProjectFromSourceDialog::create );
  connect( mButtons, &QDialogButtonBox::rejected, this, &ProjectFromSourceDialog::reject );
  layout->addWidget( mButtons );
  resize( 760, 520 );
}

ingest::ProjectFromSourcePlan ProjectFromSourceDialog::plan() const
{
  ingest::ProjectFromSourcePlan p;
  p.sourcePath = mSourcePath;
  p.projectPath = projectPath();
  p.cityName = mCityName->text().trimmed();
  p.crs = mCrs->crs();
  p.timeZone = mTimeZone->currentText();
  for ( int row = 0; row < mLayers.size(); ++row )
  {
    const auto *combo = qobject_cast<QComboBox *>( mTable->cellWidget( row, 3 ) );
    p.targets.insert( mLayers.at( row ).name, combo->currentData().toString() );
  }
  return p;
}

bool ProjectFromSourceDialog::setTarget( const QString &layer, const QString &target )
{
  for ( int row = 0; row < mLayers.size(); ++row )
  {
    if ( mLayers.at( row ).name != layer )
      continue;
    auto *combo = qobject_cast<QComboBox *>( mTable->cellWidget( row, 3 ) );
    const int index = combo->findData( target );
    if ( index < 0 )
      return false;
    combo->setCurrentIndex( index );
    return true;
  }
  return false;
}

void ProjectFromSourceDialog::setProjectPath( const QString &path )
{
  mPath->setText( path );
}

QString ProjectFromSourceDialog::projectPath() const
{
  QString path = mPath->text().trimmed();
  if ( !path.isEmpty() && !path.endsWith( QLatin1String( ".gpkg" ), Qt::CaseInsensitive ) )
    path += QStringLiteral( ".gpkg" );
  return path;
}

void ProjectFromSourceDialog::browse()
{
  const QString path = QFileDialog::getSaveFileName( this, tr( "New Project File" ), mPath->text(), tr( "StatDesk projects (*.gpkg)" ) );
  if ( !path.isEmpty() )
    mPath->setText( path );
}

void ProjectFromSourceDialog::create()
{
  if ( mTask )
    return;
  const ingest::ProjectFromSourcePlan p = plan();
  QString problem;
  if ( p.cityName.isEmpty() )
    problem = tr( "Give the city a name." );
  else if ( const QString crs = NewProjectDialog::crsProblem( p.crs ); !crs.isEmpty() )
    problem = crs;
  else if ( p.projectPath.isEmpty() )
    problem = tr( "Choose the new project file." );
  else if ( QFileInfo::exists( p.projectPath ) )
    problem = tr( "%1 exists already; choose another name." ).arg( p.projectPath );
  else if ( QFileInfo( p.projectPath ).absoluteFilePath() == QFileInfo( mSourcePath ).absoluteFilePath() )
    problem = tr( "The new project must be a new file." );
  else if ( std::none_of( p.targets.cbegin(), p.targets.cend(), []( const QString &t ) { return t != ingest::kSkipTarget; } ) )
    problem = tr( "Every layer is left out: choose at least one to bring in." );
  if ( !problem.isEmpty() )
  {
    mMessage->setText( problem );
    return;
  }
  mMessage->setText( tr( "Creating %1 …" ).arg( QFileInfo( p.projectPath ).fileName() ) );
  mProgress->setValue( 0 );
  mProgress->show();
  mTable->setEnabled( false );
  mButtons->button( QDialogButtonBox::Cancel )->setText( tr( "Stop" ) );
  for ( QAbstractButton *b : mButtons->buttons() )
    if ( mButtons->buttonRole( b ) == QDialogButtonBox::AcceptRole )
      b->setEnabled( false );
  auto *task = new ProjectFromSourceTask( p );
  mTask = task;
  connect( task, &QgsTask::progressChanged, mProgress, [this]( double v ) { mProgress->setValue( static_cast<int>( v ) ); } );
  connect( task, &QgsTask::taskCompleted, this, [this] { finished( true ); } );
  connect( task, &QgsTask::taskTerminated, this, [this] { finished( false ); } );
  QgsApplication::taskManager()->addTask( task );
}

void ProjectFromSourceDialog::finished( bool ok )
{
  const ingest::ProjectFromSourceResult result = mTask ? mTask->result() : ingest::ProjectFromSourceResult();
  mTask = nullptr;
  mSummary = result.toText();
  mProgress->hide();
  mTable->setEnabled( true );
  mButtons->button( QDialogButtonBox::Cancel )->setText( tr( "Cancel" ) );
  for ( QAbstractButton *b : mButtons->buttons() )
    if ( mButtons->buttonRole( b ) == QDialogButtonBox::AcceptRole )
      b->setEnabled( true );
  if ( ok )
  {
    QDialog::accept();
    return;
  }
  mMessage->setText( result.canceled ? tr( "Stopped: no project was created." ) : mSummary );
}

void ProjectFromSourceDialog::reject()
{
  if ( mTask )
  {
    mTask->cancel(); // finished() reports it; the dialog stays open
    return;
  }
  QDialog::reject();
}

} // namespace statdesk

#include "ProjectFromSourceDialog.moc"
