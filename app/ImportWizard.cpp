#include "ImportWizard.h"
#include "ingest/LayoutRegistry.h"
#include "project/ProjectFile.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>
#include <QWizardPage>

#include <qgsapplication.h>
#include <qgsfeedback.h>
#include <qgstaskmanager.h>

#include <atomic>

namespace statdesk
{

/**
 * Runs one import on a project's connection in the task manager's thread. The wizard keeps the
 * project untouched meanwhile. cancel() cancels the importer's feedback: the import rolls back.
 */
class ImportTask : public QgsTask
{
    Q_OBJECT
  public:
    ImportTask( ProjectFile *project, const ingest::ImportOptions &options )
      : QgsTask( QObject::tr( "Importing %1" ).arg( QFileInfo( options.filePath ).fileName() ), QgsTask::CanCancel )
      , mProject( project )
      , mOptions( options )
    {
    }
    void cancel() override
    {
      mFeedback.cancel();
      QgsTask::cancel();
    }
    ingest::ImportSummary summary() const
    {
      ingest::ImportSummary s = mSummary;
      if ( !mStarted && isCanceled() )
        s.canceled = true; // canceled before it started: the importer never ran, nothing was touched
      return s;
    }

  protected:
    bool run() override
    {
      mStarted = true;
      connect( &mFeedback, &QgsFeedback::progressChanged, this, [this]( double p ) { setProgress( p ); }, Qt::DirectConnection );
      ingest::Importer importer( *mProject );
      mSummary = importer.run( mOptions, &mFeedback );
      return mSummary.ok;
    }

  private:
    ProjectFile *mProject;
    ingest::ImportOptions mOptions;
    QgsFeedback mFeedback;
    ingest::ImportSummary mSummary;
    std::atomic<bool> mStarted { false };
};

class ImportFilePage : public QWizardPage
{
  public:
    explicit ImportFilePage( ImportWizard *wizard )
      : mWizard( wizard )
    {
      setTitle( tr( "Choose a file" ) );
      setSubTitle( tr( "A city export as it is: crime, 311, vacant or dangerous-building records as CSV or as points (GeoJSON, Shapefile, zipped Shapefile, GeoPackage), or neighborhood and boundary polygons from the same formats." ) );
      auto *form = new QFormLayout( this );
      wizard->mKind = new QComboBox( this );
      wizard->mKind->setObjectName( QStringLiteral( "importKind" ) );
      const QStringList titles { tr( "Crime incidents (KCPD)" ), tr( "311 service requests" ), tr( "Vacant parcels / Land Bank" ), tr( "Dangerous buildings" ), tr( "Neighborhood polygons" ), tr( "Boundary polygons" ) };
      const ingest::ImportKind kinds[] = { ingest::ImportKind::Crime, ingest::ImportKind::ServiceRequests, ingest::ImportKind::Vacant, ingest::ImportKind::Dangerous, ingest::ImportKind::Neighborhoods, ingest::ImportKind::Boundary };
      for ( int i = 0; i < titles.size(); ++i )
        wizard->mKind->addItem( titles[i], static_cast<int>( kinds[i] ) );
      form->addRow( tr( "Kind" ), wizard->mKind );
      auto *fileRow = new QHBoxLayout();
      wizard->mFile = new QLineEdit( this );
      wizard->mFile->setObjectName( QStringLiteral( "importFile" ) );
      auto *browse = new QPushButton( tr( "Browse…" ), this );
      fileRow->addWidget( wizard->mFile );
      fileRow->addWidget( browse );
      form->addRow( tr( "File" ), fileRow );
      wizard->mMapping = new QComboBox( this );
      wizard->mMapping->setObjectName( QStringLiteral( "importMapping" ) );
      wizard->mMapping->addItem( tr( "Detect the layout" ), QString() );
      if ( wizard->mProject )
      {
        for ( const QString &name : ingest::storedMappingNames( *wizard->mProject ) )
          wizard->mMapping->addItem( tr( "Saved mapping: %1" ).arg( name ), name );
      }
      wizard->mMapping->addItem( tr( "Column mapping from a JSON file…" ), QStringLiteral( "<file>" ) );
      form->addRow( tr( "Columns" ), wizard->mMapping );
      connect( browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName( this, tr( "Import file" ), QString(), tr( "Data files (*.csv *.txt *.tsv *.geojson *.json *.zip *.shp *.gpkg);;All files (*)" ) );
        if ( !path.isEmpty() )
          mWizard->mFile->setText( path );
      } );
      connect( wizard->mMapping, qOverload<int>( &QComboBox::activated ), this, [this]( int index ) {
        if ( mWizard->mMapping->itemData( index ).toString() != QLatin1String( "<file>" ) )
          return;
        const QString path = QFileDialog::getOpenFileName( this, tr( "Column mapping" ), QString(), tr( "JSON (*.json)" ) );
        if ( path.isEmpty() )
        {
          mWizard->mMapping->setCurrentIndex( 0 );
          return;
        }
        mWizard->mMapping->insertItem( index, QFileInfo( path ).fileName(), path );
        mWizard->mMapping->setCurrentIndex( index );
      } );
      connect( wizard->mFile, &QLineEdit::textChanged, this, &QWizardPage::completeChanged );
    }
    bool isComplete() const override { return QFileInfo( mWizard->mFile->text() ).isFile(); }

  private:
    ImportWizard *mWizard;
};

class ImportPreviewPage : public QWizardPage
{
  public:
    explicit ImportPreviewPage( ImportWizard *wizard )
      : mWizard( wizard )
    {
      setTitle( tr( "Preview" ) );
      setSubTitle( tr( "The first rows of the file, the layout found and which column feeds which field." ) );
      auto *layout = new QVBoxLayout( this );
      wizard->mLayoutLabel = new QLabel( this );
      wizard->mLayoutLabel->setObjectName( QStringLiteral( "importLayout" ) );
      wizard->mLayoutLabel->setWordWrap( true );
      wizard->mLayoutLabel->setTextInteractionFlags( Qt::TextSelectableByMouse );
      layout->addWidget( wizard->mLayoutLabel );
      wizard->mPreviewTable = new QTableWidget( this );
      wizard->mPreviewTable->setObjectName( QStringLiteral( "importPreviewTable" ) );
      wizard->mPreviewTable->setEditTriggers( QAbstractItemView::NoEditTriggers );
      layout->addWidget( wizard->mPreviewTable, 3 );
      wizard->mMappingTable = new QTableWidget( this );
      wizard->mMappingTable->setObjectName( QStringLiteral( "importMappingTable" ) );
      wizard->mMappingTable->setColumnCount( 2 );
      wizard->mMappingTable->setHorizontalHeaderLabels( { tr( "Field" ), tr( "Source column" ) } );
      wizard->mMappingTable->horizontalHeader()->setStretchLastSection( true );
      wizard->mMappingTable->setEditTriggers( QAbstractItemView::NoEditTriggers );
      layout->addWidget( wizard->mMappingTable, 2 );
    }
    void initializePage() override
    {
      ImportWizard *w = mWizard;
      const auto kind = static_cast<ingest::ImportKind>( w->mKind->currentData().toInt() );
      w->mPreview = ingest::Importer::preview( w->mFile->text(), kind, w->mProject, w->mMapping->currentData().toString() );
      const ingest::ImportPreview &p = w->mPreview;
      w->mPreviewTable->clear();
      w->mPreviewTable->setColumnCount( p.header.size() );
      w->mPreviewTable->setHorizontalHeaderLabels( p.header );
      w->mPreviewTable->setRowCount( p.rows.size() );
      for ( int r = 0; r < p.rows.size(); ++r )
        for ( int c = 0; c < p.rows[r].size() && c < p.header.size(); ++c )
          w->mPreviewTable->setItem( r, c, new QTableWidgetItem( QString( p.rows[r][c] ).replace( QLatin1Char( '\n' ), QLatin1String( " ⏎ " ) ) ) );
      w->mMappingTable->setRowCount( 0 );
      QStringList fields = p.match.fields.keys();
      fields.sort();
      for ( const QString &f : fields )
      {
        const int row = w->mMappingTable->rowCount();
        w->mMappingTable->insertRow( row );
        w->mMappingTable->setItem( row, 0, new QTableWidgetItem( f ) );
        w->mMappingTable->setItem( row, 1, new QTableWidgetItem( p.header.value( p.match.fields.value( f ) ) ) );
      }
      if ( p.ok )
        w->mLayoutLabel->setText( tr( "Layout: <b>%1</b> (%2)" ).arg( p.match.title.toHtmlEscaped(), p.match.layoutId ) );
      else
      {
        QString text = tr( "<b>This file cannot be imported as chosen.</b> %1" ).arg( p.error.toHtmlEscaped() );
        if ( !p.polygon && p.bestAnyKind.isValid() && p.bestAnyKind.kind != kind )
          text += tr( "<br>Go back and choose the kind \"%1\"." ).arg( ingest::kindName( p.bestAnyKind.kind ) );
        w->mLayoutLabel->setText( text );
      }
      emit completeChanged();
    }
    bool isComplete() const override { return mWizard->mPreview.ok; }

  private:
    ImportWizard *mWizard;
};

class ImportRunPage : public QWizardPage
{
  public:
    explicit ImportRunPage( ImportWizard *wizard )
      : mWizard( wizard )
    {
      setTitle( tr( "Importing" ) );
      setSubTitle( tr( "Cancel leaves the project exactly as it was." ) );
      auto *layout = new QVBoxLayout( this );
      wizard->mRunLabel = new QLabel( this );
      wizard->mRunLabel->setObjectName( QStringLiteral( "importRunLabel" ) );
      wizard->mProgress = new QProgressBar( this );
      wizard->mProgress->setObjectName( QStringLiteral( "importProgress" ) );
      wizard->mProgress->setRange( 0, 100 );
      wizard->mCancel = new QPushButton( tr( "Cancel import" ), this );
      wizard->mCancel->setObjectName( QStringLiteral( "importCancel" ) );
      layout->addWidget( wizard->mRunLabel );
      layout->addWidget( wizard->mProgress );
      layout->addWidget( wizard->mCancel, 0, Qt::AlignLeft );
      layout->addStretch();
      connect( wizard->mCancel, &QPushButton::clicked, this, [this] {
        if ( mWizard->mTask )
          mWizard->mTask->cancel();
        mWizard->mCancel->setEnabled( false );
      } );
    }
    void initializePage() override { mWizard->startImport(); }
    bool isComplete() const override { return mWizard->mDone; }

  private:
    ImportWizard *mWizard;
};

ImportWizard::ImportWizard( ProjectFile *project, QWidget *parent )
  : QWizard( parent )
  , mProject( project )
{
  setWindowTitle( tr( "Import data" ) );
  setWizardStyle( QWizard::ModernStyle );
  setOption( QWizard::NoBackButtonOnLastPage );
  setPage( FilePage, new ImportFilePage( this ) );
  setPage( PreviewPage, new ImportPreviewPage( this ) );
  setPage( RunPage, new ImportRunPage( this ) );
  auto *summaryPage = new QWizardPage( this );
  summaryPage->setTitle( tr( "Summary" ) );
  auto *layout = new QVBoxLayout( summaryPage );
  mSummaryText = new QPlainTextEdit( summaryPage );
  mSummaryText->setObjectName( QStringLiteral( "importSummary" ) );
  mSummaryText->setReadOnly( true );
  layout->addWidget( mSummaryText );
  setPage( SummaryPage, summaryPage );
  resize( 900, 600 );
}

ImportWizard::~ImportWizard()
{
  if ( mTask )
  {
    mTask->cancel();
    mTask->waitForFinished();
  }
}

void ImportWizard::setFile( const QString &path, ingest::ImportKind kind )
{
  mFile->setText( path );
  mKind->setCurrentIndex( mKind->findData( static_cast<int>( kind ) ) );
}

ingest::ImportOptions ImportWizard::options() const
{
  ingest::ImportOptions o;
  o.kind = static_cast<ingest::ImportKind>( mKind->currentData().toInt() );
  o.filePath = mFile->text();
  o.mapping = mMapping->currentData().toString();
  if ( o.mapping == QLatin1String( "<file>" ) )
    o.mapping.clear();
  return o;
}

void ImportWizard::startImport()
{
  if ( mRunning || mDone )
    return;
  mRunning = true;
  button( QWizard::BackButton )->setEnabled( false );
  mProgress->setValue( 0 );
  mRunLabel->setText( tr( "Importing %1 …" ).arg( QFileInfo( mFile->text() ).fileName() ) );
  auto *task = new ImportTask( mProject, options() );
  mTask = task;
  connect( task, &QgsTask::progressChanged, mProgress, [this]( double p ) { mProgress->setValue( static_cast<int>( p ) ); } );
  connect( task, &QgsTask::taskCompleted, this, [this] { taskDone( true ); } );
  connect( task, &QgsTask::taskTerminated, this, [this] { taskDone( false ); } );
  QgsApplication::taskManager()->addTask( task );
}

void ImportWizard::taskDone( bool ok )
{
  if ( mTask )
    mSummary = mTask->summary();
  mRunning = false;
  mDone = true;
  mCancel->setEnabled( false );
  mRunLabel->setText( ok ? tr( "Done." ) : ( mSummary.canceled ? tr( "Canceled; the project is unchanged." ) : tr( "The import failed; the project is unchanged." ) ) );
  mSummaryText->setPlainText( mSummary.toText() );
  emit currentPage()->completeChanged();
  next();
  if ( ok )
    emit importFinished();
}

void ImportWizard::reject()
{
  if ( mRunning )
  {
    if ( QMessageBox::question( this, windowTitle(), tr( "Cancel the running import? The project stays as it was." ) ) != QMessageBox::Yes )
      return;
    if ( mTask )
    {
      mTask->cancel();
      mTask->waitForFinished();
    }
  }
  QWizard::reject();
}

} // namespace statdesk

#include "ImportWizard.moc"
