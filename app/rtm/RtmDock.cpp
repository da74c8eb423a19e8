#include "rtm/RtmDock.h"

#include "CanvasRendering.h"

#include "rtm/RiskFactorTable.h"
#include "rtm/RtmTask.h"

#include "common/Sqlite.h"
#include "project/ProjectFile.h"
#include "project/ProjectLayers.h"
#include "rtm/RtmLayers.h"
#include "rtm/RtmRuns.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDateTime>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QScrollArea>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

#include <qgsapplication.h>
#include <qgslayertree.h>
#include <qgslayertreegroup.h>
#include <qgslayertreelayer.h>
#include <qgsmapcanvas.h>
#include <qgsproject.h>
#include <qgsrasterlayer.h>
#include <qgsvectorlayer.h>

#include <cmath>

namespace statdesk
{

namespace
{
const QString kCityPreset = QStringLiteral( "city" );
const QString kNeighborhoodsPreset = QStringLiteral( "neighborhoods" );
const QString kOtherPreset = QStringLiteral( "other" );
const char *kRunGroupProperty = "statdesk/rtmRunGroup";

QString resultsGroupName()
{
  return QObject::tr( "Risk Terrain Modeling" );
}

QTableWidget *makeTable( const QStringList &headers, QWidget *parent )
{
  auto *t = new QTableWidget( 0, headers.size(), parent );
  t->setHorizontalHeaderLabels( headers );
  t->setSelectionBehavior( QAbstractItemView::SelectRows );
  t->setEditTriggers( QAbstractItemView::NoEditTriggers );
  t->verticalHeader()->setVisible( false );
  t->verticalHeader()->setDefaultSectionSize( t->fontMetrics().height() + 8 );
  t->horizontalHeader()->setSectionResizeMode( QHeaderView::ResizeToContents );
  t->horizontalHeader()->setStretchLastSection( true );
  return t;
}

QTableWidgetItem *cell( const QString &text, bool number = false, const QVariant &value = QVariant() )
{
  auto *i = new QTableWidgetItem( text );
  if ( number )
    i->setTextAlignment( Qt::AlignRight | Qt::AlignVCenter );
  if ( value.isValid() )
    i->setData( Qt::UserRole, value );
  return i;
}

QString formatNumber( double v, int decimals )
{
  return QLocale().toString( v, 'f', decimals );
}

QString formatP( double p )
{
  return p < 1e-4 ? QStringLiteral( "< 0.0001" ) : QLocale().toString( p, 'f', 4 );
}

QString blocksText( double blocks )
{
  return std::fabs( blocks - 1 ) < 1e-9 ? QObject::tr( "1 block" ) : QObject::tr( "%1 blocks" ).arg( blocks );
}

//! "[x] from <date> to <date>": the dates follow the check box.
QHBoxLayout *windowRow( QCheckBox *enabled, QDateEdit **from, QDateEdit **to )
{
  auto *row = new QHBoxLayout();
  row->addWidget( enabled );
  for ( QDateEdit **edit : { from, to } )
  {
    *edit = new QDateEdit( enabled->parentWidget() );
    ( *edit )->setCalendarPopup( true );
    ( *edit )->setDisplayFormat( QStringLiteral( "yyyy-MM-dd" ) );
    QObject::connect( enabled, &QCheckBox::toggled, *edit, &QWidget::setEnabled );
    if ( edit == from )
    {
      row->addWidget( *edit );
      row->addWidget( new QLabel( QObject::tr( "to" ), enabled->parentWidget() ) );
    }
  }
  row->addWidget( *to );
  return row;
}
} // namespace

RtmDock::RtmDock( QgsMapCanvas *canvas, QWidget *parent )
    : QDockWidget( tr( "Risk Terrain Modeling" ), parent ), mCanvas( canvas )
{
  setObjectName( QStringLiteral( "RtmDock" ) );
  mTabs = new QTabWidget( this );
  mTabs->addTab( buildSetupTab(), tr( "Setup" ) );
  mTabs->addTab( buildResultsTab(), tr( "Results" ) );
  mTabs->addTab( buildRunsTab(), tr( "Saved runs" ) );
  setWidget( mTabs );
  setProject( nullptr );
}

RtmDock::~RtmDock()
{
  if ( mTask )
    mTask->cancel();
}

// ---------------------------------------------------------------------------------------------
// Building the tabs

QWidget *RtmDock::buildSetupTab()
{
  auto *content = new QWidget();
  auto *layout = new QVBoxLayout( content );
  mDefaultsNote = new QLabel( content );
  mDefaultsNote->setWordWrap( true );
  layout->addWidget( mDefaultsNote );

  auto *outcome = new QGroupBox( tr( "Outcome" ), content );
  auto *outcomeForm = new QFormLayout( outcome );
  mOutcomeLayer = new QComboBox( outcome );
  mOutcomeFilter = new QLineEdit( outcome );
  mOutcomeFilter->setPlaceholderText( tr( "all features (an SQL condition, e.g. violent = 1)" ) );
  mDateColumn = new QComboBox( outcome );
  mDateColumn->setToolTip( tr( "Column with the event date (ISO text) used by the windows" ) );
  mTrainWindow = new QCheckBox( tr( "from" ), outcome );
  mTrainWindow->setToolTip( tr( "Unchecked: events of all dates" ) );
  mValidate = new QCheckBox( tr( "from" ), outcome );
  mValidate->setToolTip( tr( "Test the model on the events of a following window (hit rate, PAI, PEI against KDE and prior counts)" ) );
  QHBoxLayout *train = windowRow( mTrainWindow, &mTrainFrom, &mTrainTo );
  QHBoxLayout *test = windowRow( mValidate, &mTestFrom, &mTestTo );
  outcomeForm->addRow( tr( "Layer" ), mOutcomeLayer );
  outcomeForm->addRow( tr( "Filter" ), mOutcomeFilter );
  outcomeForm->addRow( tr( "Date column" ), mDateColumn );
  outcomeForm->addRow( tr( "Training window" ), train );
  outcomeForm->addRow( tr( "Validation window" ), test );
  layout->addWidget( outcome );
  connect( mOutcomeLayer, qOverload<int>( &QComboBox::currentIndexChanged ), this, &RtmDock::outcomeLayerChanged );

  auto *area = new QGroupBox( tr( "Study area" ), content );
  auto *areaForm = new QFormLayout( area );
  mAreaPreset = new QComboBox( area );
  mAreaPreset->addItem( tr( "City boundary" ), kCityPreset );
  mAreaPreset->addItem( tr( "Union of all neighborhoods" ), kNeighborhoodsPreset );
  mAreaPreset->addItem( tr( "Other polygons…" ), kOtherPreset );
  mAreaLayer = new QComboBox( area );
  mAreaFilter = new QLineEdit( area );
  mAreaFilter->setPlaceholderText( tr( "all polygons" ) );
  areaForm->addRow( tr( "Area" ), mAreaPreset );
  areaForm->addRow( tr( "Layer" ), mAreaLayer );
  areaForm->addRow( tr( "Filter" ), mAreaFilter );
  layout->addWidget( area );
  connect( mAreaPreset, qOverload<int>( &QComboBox::currentIndexChanged ), this, &RtmDock::areaPresetChanged );

  auto *factors = new QGroupBox( tr( "Risk factors" ), content );
  auto *factorsLayout = new QVBoxLayout( factors );
  mFactors = new RiskFactorTable( factors );
  mFactors->setMinimumHeight( 150 );
  factorsLayout->addWidget( mFactors );
  auto *factorButtons = new QHBoxLayout();
  for ( const auto &b : { qMakePair( tr( "Add…" ), &RiskFactorTable::addFactor ), qMakePair( tr( "Edit…" ), &RiskFactorTable::editCurrent ), qMakePair( tr( "Remove" ), &RiskFactorTable::removeSelected ) } )
  {
    auto *button = new QPushButton( b.first, factors );
    connect( button, &QPushButton::clicked, mFactors, b.second );
    factorButtons->addWidget( button );
  }
  auto *defaults = new QPushButton( tr( "Defaults" ), factors );
  defaults->setToolTip( tr( "Reset every parameter to the defaults for this project" ) );
  connect( defaults, &QPushButton::clicked, this, &RtmDock::resetDefaults );
  factorButtons->addStretch( 1 );
  factorButtons->addWidget( defaults );
  factorsLayout->addLayout( factorButtons );
  layout->addWidget( factors );

  auto *model = new QGroupBox( tr( "Grid and model" ), content );
  auto *modelForm = new QFormLayout( model );
  mBlockLength = new QDoubleSpinBox( model );
  mBlockLength->setRange( 1, 10000 );
  mBlockLength->setDecimals( 2 );
  mBlockLength->setToolTip( tr( "The city's mean block length: spatial influence is measured in blocks" ) );
  mCellSize = new QDoubleSpinBox( model );
  mCellSize->setRange( 0, 5000 );
  mCellSize->setDecimals( 2 );
  mCellSize->setSpecialValueText( tr( "half a block" ) );
  mSeed = new QLineEdit( model );
  mSeed->setValidator( new QRegularExpressionValidator( QRegularExpression( QStringLiteral( "[0-9]{1,19}" ) ), mSeed ) );
  mSeed->setToolTip( tr( "Seed of the cross-validation folds: same inputs and seed give the same results" ) );
  mNegativeBinomial = new QComboBox( model );
  mNegativeBinomial->addItem( rtm::countFamilyTitle( rtm::CountFamily::NB1 ), static_cast<int>( rtm::CountFamily::NB1 ) );
  mNegativeBinomial->addItem( rtm::countFamilyTitle( rtm::CountFamily::NB2 ), static_cast<int>( rtm::CountFamily::NB2 ) );
  mAlpha = new QDoubleSpinBox( model );
  mAlpha->setRange( 0.01, 1 );
  mAlpha->setSingleStep( 0.05 );
  mAlpha->setDecimals( 2 );
  mAlpha->setToolTip( tr( "Elastic-net mixing: 1 = lasso, towards 0 = ridge" ) );
  mFolds = new QSpinBox( model );
  mFolds->setRange( 3, 50 );
  modelForm->addRow( tr( "Block length" ), mBlockLength );
  modelForm->addRow( tr( "Cell size" ), mCellSize );
  modelForm->addRow( tr( "Seed" ), mSeed );
  modelForm->addRow( tr( "Negative binomial" ), mNegativeBinomial );
  modelForm->addRow( tr( "Elastic-net alpha" ), mAlpha );
  modelForm->addRow( tr( "Cross-validation folds" ), mFolds );
  layout->addWidget( model );
  layout->addStretch( 1 );

  auto *scroll = new QScrollArea();
  scroll->setWidgetResizable( true );
  scroll->setWidget( content );

  // The run controls stay visible below the scrolling form.
  auto *tab = new QWidget( this );
  auto *tabLayout = new QVBoxLayout( tab );
  tabLayout->setContentsMargins( 0, 0, 0, 0 );
  tabLayout->addWidget( scroll, 1 );
  auto *runRow = new QHBoxLayout();
  mRunName = new QLineEdit( tab );
  mRunName->setPlaceholderText( tr( "Run name (optional)" ) );
  mRunButton = new QPushButton( tr( "Run" ), tab );
  mRunButton->setDefault( true );
  mCancelButton = new QPushButton( tr( "Cancel" ), tab );
  runRow->addWidget( mRunName, 1 );
  runRow->addWidget( mRunButton );
  runRow->addWidget( mCancelButton );
  tabLayout->addLayout( runRow );
  mProgress = new QProgressBar( tab );
  mProgress->setRange( 0, 100 );
  tabLayout->addWidget( mProgress );
  mStatus = new QLabel( tab );
  mStatus->setWordWrap( true );
  tabLayout->addWidget( mStatus );
  connect( mRunButton, &QPushButton::clicked, this, &RtmDock::run );
  connect( mCancelButton, &QPushButton::clicked, this, &RtmDock::cancel );
  return tab;
}

QWidget *RtmDock::buildResultsTab()
{
  auto *w = new QWidget( this );
  auto *layout = new QVBoxLayout( w );
  mResultTitle = new QLabel( w );
  mResultTitle->setWordWrap( true );
  mResultTitle->setTextFormat( Qt::PlainText );
  QFont bold = mResultTitle->font();
  bold.setBold( true );
  mResultTitle->setFont( bold );
  layout->addWidget( mResultTitle );
  mFamily = new QLabel( w );
  mFamily->setWordWrap( true );
  mFamily->setTextInteractionFlags( Qt::TextSelectableByMouse );
  layout->addWidget( mFamily );
  // RTMDx's column order: the relative risk value next to its coefficient.
  mModel = makeTable( { tr( "Factor" ), tr( "Operationalisation" ), tr( "Spatial influence" ), tr( "Coefficient" ), tr( "RRV" ), tr( "SE" ), tr( "p" ) }, w );
  mModel->setToolTip( tr( "The final model, factors by relative risk value (RRV = exp(coefficient)): a cell within the spatial influence of a factor is RRV times as likely to hold an event" ) );
  mModel->setObjectName( QStringLiteral( "rtmModelTable" ) );
  layout->addWidget( mModel, 2 );
  mClasses = makeTable( { tr( "Risk class" ), tr( "RRS" ), tr( "Cells" ), tr( "% of area" ), tr( "% of events" ) }, w );
  mClasses->setObjectName( QStringLiteral( "rtmClassesTable" ) );
  layout->addWidget( mClasses, 1 );
  mValidation = makeTable( { tr( "Top of area" ), tr( "Measure" ), tr( "RTM" ), tr( "KDE hot spots" ), tr( "Prior counts" ) }, w );
  mValidation->setToolTip( tr( "Hit rate = share of the validation window's events in the cells; PAI = hit rate / area share; PEI = hits / the most any cells of that area could catch" ) );
  mValidation->setObjectName( QStringLiteral( "rtmValidationTable" ) );
  layout->addWidget( mValidation, 2 );
  mNarrative = new QPlainTextEdit( w );
  mNarrative->setReadOnly( true );
  mNarrative->setObjectName( QStringLiteral( "rtmNarrative" ) );
  layout->addWidget( mNarrative, 1 );
  auto *exports = new QHBoxLayout();
  const QList<QPair<QString, Export>> kinds{ { tr( "Design matrix CSV…" ), Export::DesignCsv }, { tr( "RRS GeoTIFF…" ), Export::RrsGeoTiff }, { tr( "Tables CSV…" ), Export::TablesCsv } };
  for ( const auto &k : kinds )
  {
    auto *b = new QPushButton( k.first, w );
    const Export kind = k.second;
    connect( b, &QPushButton::clicked, this, [this, kind]
             { exportWithDialog( kind ); } );
    exports->addWidget( b );
    mExportButtons << b;
  }
  layout->addLayout( exports );
  return w;
}

QWidget *RtmDock::buildRunsTab()
{
  auto *w = new QWidget( this );
  auto *layout = new QVBoxLayout( w );
  mRuns = makeTable( { tr( "Id" ), tr( "Name" ), tr( "Saved" ), tr( "Family" ), tr( "BIC" ), tr( "Selected factors" ), tr( "Priority places" ) }, w );
  mRuns->setSelectionMode( QAbstractItemView::ExtendedSelection );
  mRuns->setObjectName( QStringLiteral( "rtmRunsTable" ) );
  layout->addWidget( mRuns );
  connect( mRuns, &QTableWidget::cellDoubleClicked, this, &RtmDock::openSelectedRun );
  connect( mRuns, &QTableWidget::itemSelectionChanged, this, &RtmDock::updateButtons );
  auto *row = new QHBoxLayout();
  const QList<QPair<QString, void ( RtmDock::* )()>> buttons{ { tr( "Open" ), &RtmDock::openSelectedRun }, { tr( "Compare two…" ), &RtmDock::compareSelectedRuns }, { tr( "Delete" ), &RtmDock::deleteSelectedRun } };
  for ( const auto &b : buttons )
  {
    auto *button = new QPushButton( b.first, w );
    connect( button, &QPushButton::clicked, this, b.second );
    row->addWidget( button );
    mRunButtons << button;
  }
  layout->addLayout( row );
  auto *hint = new QLabel( tr( "Open a run to see its tables and map layers and to export it; select two runs to compare them." ), w );
  hint->setWordWrap( true );
  layout->addWidget( hint );
  return w;
}

// ---------------------------------------------------------------------------------------------
// Project and parameters

void RtmDock::setProject( ProjectFile *project )
{
  if ( mTask && project != mProject )
  {
    mCancelRequested = true;
    mTask->cancel();
  }
  const bool sameProject = project && project == mProject;
  mProject = project;
  mFactors->setProject( project );
  fillLayerChoices();
  if ( !sameProject )
  {
    mShownResult = rtm::RtmResult();
    mShownRunId = -1;
    mResultTitle->clear();
    mFamily->clear();
    mNarrative->clear();
    for ( QTableWidget *t : { mModel, mClasses, mValidation } )
      t->setRowCount( 0 );
    mProgress->setValue( 0 );
    mStatus->clear();
    resetDefaults();
  }
  repointLayers();
  refreshRuns();
  updateButtons();
}

void RtmDock::fillLayerChoices()
{
  const QString outcome = mOutcomeLayer->currentData().toString(), area = mAreaLayer->currentData().toString();
  mOutcomeLayer->blockSignals( true );
  mOutcomeLayer->clear();
  mAreaLayer->clear();
  for ( const RtmLayerChoice &l : rtmLayerChoices( mProject ) )
  {
    if ( l.geometry == QgsWkbTypes::PointGeometry )
      mOutcomeLayer->addItem( l.table, l.table );
    else if ( l.geometry == QgsWkbTypes::PolygonGeometry )
      mAreaLayer->addItem( l.table, l.table );
  }
  mOutcomeLayer->setCurrentIndex( std::max( 0, mOutcomeLayer->findData( outcome ) ) );
  mAreaLayer->setCurrentIndex( std::max( 0, mAreaLayer->findData( area ) ) );
  mOutcomeLayer->blockSignals( false );
  outcomeLayerChanged();
}

void RtmDock::outcomeLayerChanged()
{
  const QString previous = mDateColumn->currentText();
  mDateColumn->clear();
  const QString table = mOutcomeLayer->currentData().toString();
  if ( !mProject || table.isEmpty() )
    return;
  SqliteStatement st( mProject->database(), QStringLiteral( "PRAGMA table_info(\"%1\")" ).arg( table ) );
  QString guess;
  while ( st.next() )
  {
    const QString column = st.text( 1 );
    if ( !st.text( 2 ).toUpper().contains( QLatin1String( "TEXT" ) ) && !st.text( 2 ).toUpper().contains( QLatin1String( "DATE" ) ) )
      continue;
    mDateColumn->addItem( column );
    if ( guess.isEmpty() && ( column.endsWith( QLatin1String( "_at" ) ) || column.contains( QLatin1String( "date" ), Qt::CaseInsensitive ) ) )
      guess = column;
  }
  const int keep = mDateColumn->findText( previous );
  mDateColumn->setCurrentIndex( keep >= 0 ? keep : std::max( 0, mDateColumn->findText( guess ) ) );
}

void RtmDock::areaPresetChanged()
{
  const QString preset = mAreaPreset->currentData().toString();
  const bool other = preset == kOtherPreset;
  mAreaLayer->setEnabled( other );
  mAreaFilter->setEnabled( other );
  if ( preset == kCityPreset )
  {
    mAreaLayer->setCurrentIndex( std::max( 0, mAreaLayer->findData( QStringLiteral( "boundaries" ) ) ) );
    mAreaFilter->setText( QStringLiteral( "kind = 'city'" ) );
  }
  else if ( preset == kNeighborhoodsPreset )
  {
    mAreaLayer->setCurrentIndex( std::max( 0, mAreaLayer->findData( QStringLiteral( "neighborhoods" ) ) ) );
    mAreaFilter->clear();
  }
}

QString RtmDock::distanceUnit() const
{
  return mProject && mProject->crs().mapUnits() == QgsUnitTypes::DistanceFeet ? QStringLiteral( "ft" ) : QStringLiteral( "m" );
}

void RtmDock::resetDefaults()
{
  rtm::RtmParameters p;
  QString note, error;
  if ( mProject && !rtm::defaultRtmParameters( *mProject, &p, &note, &error ) )
    note = error;
  mDefaultsNote->setText( mProject ? note : tr( "Open a project to run Risk Terrain Modeling." ) );
  setParameters( p );
}

void RtmDock::setParameters( const rtm::RtmParameters &p )
{
  mHidden = p;
  mOutcomeLayer->setCurrentIndex( std::max( 0, mOutcomeLayer->findData( p.outcomeLayer ) ) );
  mOutcomeFilter->setText( p.outcomeFilter );
  QString dateColumn = p.dateColumn;
  if ( dateColumn.isEmpty() )
    dateColumn = p.outcomeLayer == QLatin1String( "service_requests" ) ? QStringLiteral( "created_at" ) : QStringLiteral( "occurred_at" );
  if ( mDateColumn->findText( dateColumn ) >= 0 )
    mDateColumn->setCurrentIndex( mDateColumn->findText( dateColumn ) );
  const bool train = p.trainFrom.isValid() || p.trainTo.isValid();
  mTrainWindow->setChecked( train );
  mTrainFrom->setEnabled( train );
  mTrainTo->setEnabled( train );
  mTrainFrom->setDate( p.trainFrom.isValid() ? p.trainFrom : QDate( QDate::currentDate().year() - 3, 1, 1 ) );
  mTrainTo->setDate( p.trainTo.isValid() ? p.trainTo : QDate( QDate::currentDate().year() - 1, 12, 31 ) );
  mValidate->setChecked( p.hasValidation() );
  mTestFrom->setEnabled( p.hasValidation() );
  mTestTo->setEnabled( p.hasValidation() );
  mTestFrom->setDate( p.testFrom.isValid() ? p.testFrom : mTrainTo->date().addDays( 1 ) );
  mTestTo->setDate( p.testTo.isValid() ? p.testTo : mTestFrom->date().addYears( 1 ).addDays( -1 ) );

  QString preset = kOtherPreset;
  if ( p.studyAreaLayer == QLatin1String( "boundaries" ) && QString( p.studyAreaFilter ).remove( QLatin1Char( '"' ) ).simplified() == QLatin1String( "kind = 'city'" ) )
    preset = kCityPreset;
  else if ( p.studyAreaLayer == QLatin1String( "neighborhoods" ) && p.studyAreaFilter.trimmed().isEmpty() )
    preset = kNeighborhoodsPreset;
  mAreaPreset->setCurrentIndex( mAreaPreset->findData( preset ) );
  areaPresetChanged();
  mAreaLayer->setCurrentIndex( std::max( 0, mAreaLayer->findData( p.studyAreaLayer ) ) );
  mAreaFilter->setText( p.studyAreaFilter );

  mFactors->setFactors( p.factors );
  const QString unit = QStringLiteral( " %1" ).arg( distanceUnit() );
  mBlockLength->setSuffix( unit );
  mCellSize->setSuffix( unit );
  mBlockLength->setValue( p.blockLength );
  mCellSize->setValue( p.cellSize );
  mSeed->setText( QString::number( p.seed ) );
  mNegativeBinomial->setCurrentIndex( std::max( 0, mNegativeBinomial->findData( static_cast<int>( p.negativeBinomial ) ) ) );
  mAlpha->setValue( p.alpha );
  mFolds->setValue( p.folds );
}

bool RtmDock::parameters( rtm::RtmParameters *parameters, QString *error ) const
{
  rtm::RtmParameters p = mHidden;
  p.outcomeLayer = mOutcomeLayer->currentData().toString();
  p.outcomeFilter = mOutcomeFilter->text().trimmed();
  p.dateColumn = mDateColumn->currentText();
  p.trainFrom = mTrainWindow->isChecked() ? mTrainFrom->date() : QDate();
  p.trainTo = mTrainWindow->isChecked() ? mTrainTo->date() : QDate();
  p.testFrom = mValidate->isChecked() ? mTestFrom->date() : QDate();
  p.testTo = mValidate->isChecked() ? mTestTo->date() : QDate();
  p.studyAreaLayer = mAreaLayer->currentData().toString();
  p.studyAreaFilter = mAreaFilter->text().trimmed();
  p.factors = mFactors->factors();
  p.blockLength = mBlockLength->value();
  p.cellSize = mCellSize->value();
  bool seedOk = false;
  p.seed = mSeed->text().toULongLong( &seedOk );
  p.negativeBinomial = static_cast<rtm::CountFamily>( mNegativeBinomial->currentData().toInt() );
  p.alpha = mAlpha->value();
  p.folds = mFolds->value();
  if ( p.outcomeLayer.isEmpty() )
  {
    *error = tr( "The project has no point layer to use as the outcome." );
    return false;
  }
  if ( p.studyAreaLayer.isEmpty() )
  {
    *error = tr( "The project has no polygon layer to use as the study area." );
    return false;
  }
  if ( !seedOk )
  {
    *error = tr( "The seed must be a whole number." );
    return false;
  }
  if ( p.hasValidation() && p.trainTo.isValid() && p.testFrom <= p.trainTo )
  {
    *error = tr( "The validation window must start after the training window." );
    return false;
  }
  if ( !p.validate( error ) )
    return false;
  *parameters = p;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Running

QSize RtmDock::sizeHint() const
{
  // Wide enough for the model table's seven columns next to the map.
  return QSize( 660, QDockWidget::sizeHint().height() );
}

bool RtmDock::isRunning() const
{
  return static_cast<bool>( mTask );
}

void RtmDock::run()
{
  if ( !mProject || mTask )
    return;
  rtm::RtmParameters p;
  QString error;
  if ( !parameters( &p, &error ) )
  {
    mStatus->setText( tr( "Cannot run: %1" ).arg( error ) );
    return;
  }
  auto *task = new RtmTask( mProject->path(), p );
  mTask = task;
  mCancelRequested = false;
  connect( task, &QgsTask::progressChanged, this, [this]( double progress )
           { mProgress->setValue( static_cast<int>( progress ) ); } );
  connect( task, &QgsTask::taskCompleted, this, [this, task]
           { taskFinished( task, true ); } );
  connect( task, &QgsTask::taskTerminated, this, [this, task]
           { taskFinished( task, false ); } );
  mProgress->setValue( 0 );
  mStatus->setText( tr( "Running with %1 risk factors: reading the layers, candidate variables, elastic net, stepwise selection…" ).arg( p.factors.size() ) );
  updateButtons();
  QgsApplication::taskManager()->addTask( task );
}

void RtmDock::cancel()
{
  if ( !mTask )
    return;
  // Whatever the task still delivers is discarded: a cancelled run never reaches the project.
  mCancelRequested = true;
  mTask->cancel();
  mStatus->setText( tr( "Cancelling…" ) );
}

void RtmDock::taskFinished( RtmTask *task, bool ok )
{
  mTask = nullptr;
  updateButtons();
  if ( mCancelRequested || !mProject )
  {
    mCancelRequested = false;
    mProgress->setValue( 0 );
    mStatus->setText( tr( "Cancelled: nothing was saved and the project is unchanged." ) );
    emit runFinished( false );
    return;
  }
  if ( !ok )
  {
    mProgress->setValue( 0 );
    mStatus->setText( tr( "The run failed: %1" ).arg( task->errorString() ) );
    emit runFinished( false );
    return;
  }
  const rtm::RtmParameters p = task->parameters();
  const rtm::RtmResult result = task->takeResult();
  QString name = mRunName->text().trimmed();
  if ( name.isEmpty() )
    name = tr( "RTM %1" ).arg( mProject->formatDateTime( QDateTime::currentDateTime() ).left( 16 ).replace( QLatin1Char( 'T' ), QLatin1Char( ' ' ) ) );
  qint64 id = -1;
  QString error;
  if ( mProject->isReadOnly() )
    error = tr( "the project is open read-only, so the run is shown but not saved and not put on the map" );
  else
  {
    CanvasWriteGuard guard( mCanvas );
    id = rtm::saveRtmRun( *mProject, name, p, result, &error, task->mapTablesFile() );
  }
  showResult( p, result, distanceUnit(), id, id >= 0 ? tr( "Run %1: %2" ).arg( id ).arg( name ) : tr( "%1 (not saved)" ).arg( name ) );
  if ( id >= 0 )
  {
    addRunLayers( id, name, result.classes );
    refreshRuns();
    mStatus->setText( tr( "Done in %1 s; saved as run %2 with its map layers." ).arg( result.timings.value( QStringLiteral( "total" ) ).toDouble(), 0, 'f', 1 ).arg( id ) );
  }
  else
    mStatus->setText( tr( "Done, but %1." ).arg( error ) );
  mTabs->setCurrentIndex( 1 );
  emit runFinished( true );
}

// ---------------------------------------------------------------------------------------------
// Results

void RtmDock::showResult( const rtm::RtmParameters &p, const rtm::RtmResult &r, const QString &unit, qint64 runId, const QString &title )
{
  mShownParameters = p;
  mShownResult = r;
  mShownRunId = runId;
  mResultTitle->setText( title );
  const rtm::FamilyModel &m = r.chosen();
  const rtm::FamilyModel &other = r.chosenFamily == rtm::CountFamily::Poisson ? r.negativeBinomial : r.poisson;
  QString family = tr( "Family: %1, BIC %2 (lower is better); %3: %4." )
                       .arg( rtm::countFamilyTitle( r.chosenFamily ), formatNumber( m.bic, 2 ), rtm::countFamilyTitle( other.family ), other.ok ? formatNumber( other.bic, 2 ) : tr( "did not fit" ) );
  family += QLatin1Char( ' ' ) + tr( "Intercept %1 (SE %2)" ).arg( formatNumber( m.intercept, 4 ), formatNumber( m.interceptSe, 4 ) );
  family += r.chosenFamily == rtm::CountFamily::Poisson ? tr( "; no dispersion (Poisson)." ) : tr( "; dispersion %1 (SE %2)." ).arg( formatNumber( m.alpha, 4 ), formatNumber( m.alphaSe, 4 ) );
  family += QLatin1Char( ' ' ) + tr( "%1 cells of %2 %3, %4 candidate variables, %5 kept by the elastic net." )
                                     .arg( r.grid.cellsInArea() > 0 ? r.grid.cellsInArea() : r.audit.value( QStringLiteral( "grid" ) ).toObject().value( QStringLiteral( "cells_in_area" ) ).toInt() )
                                     .arg( p.effectiveCellSize() )
                                     .arg( unit )
                                     .arg( r.designVariables.size() )
                                     .arg( r.enetSelected.size() );
  mFamily->setText( family );

  std::vector<rtm::ModelTerm> terms = m.terms;
  std::stable_sort( terms.begin(), terms.end(), []( const rtm::ModelTerm &a, const rtm::ModelTerm &b )
                    { return a.rrv > b.rrv; } );
  mModel->setRowCount( 0 );
  auto addRow = [this]( const QList<QTableWidgetItem *> &items )
  {
    const int row = mModel->rowCount();
    mModel->insertRow( row );
    for ( int c = 0; c < items.size(); ++c )
      mModel->setItem( row, c, items[c] );
  };
  for ( const rtm::ModelTerm &t : terms )
  {
    const double blocks = t.distance / p.blockLength;
    QTableWidgetItem *rrv = cell( formatNumber( t.rrv, 3 ), true, t.rrv );
    if ( t.protective )
    {
      rrv->setText( tr( "%1 (protective)" ).arg( rrv->text() ) );
      rrv->setToolTip( tr( "A negative coefficient: places near this factor are less risky" ) );
    }
    addRow( { cell( t.factor, false, t.variable ), cell( t.operationalisation ), cell( tr( "%1 %2 (%3)" ).arg( t.distance ).arg( unit, blocksText( blocks ) ), true, t.distance ),
              cell( formatNumber( t.beta, 4 ), true, t.beta ), rrv, cell( formatNumber( t.se, 4 ), true, t.se ), cell( formatP( t.p ), true, t.p ) } );
  }
  addRow( { cell( tr( "(intercept)" ) ), cell( QString() ), cell( QString() ), cell( formatNumber( m.intercept, 4 ), true, m.intercept ), cell( QString() ),
            cell( formatNumber( m.interceptSe, 4 ), true ), cell( formatP( m.interceptP ), true ) } );
  if ( r.chosenFamily != rtm::CountFamily::Poisson )
    addRow( { cell( tr( "(dispersion)" ) ), cell( countFamilyName( r.chosenFamily ).toUpper() ), cell( QString() ), cell( formatNumber( m.alpha, 4 ), true, m.alpha ), cell( QString() ),
              cell( formatNumber( m.alphaSe, 4 ), true ), cell( QString() ) } );

  mClasses->setRowCount( 0 );
  for ( const rtm::RiskClass &k : r.classes )
  {
    const int row = mClasses->rowCount();
    mClasses->insertRow( row );
    mClasses->setItem( row, 0, cell( k.name ) );
    mClasses->setItem( row, 1, cell( tr( "%1 – %2" ).arg( formatNumber( k.lower, 2 ), formatNumber( k.upper, 2 ) ), true ) );
    mClasses->setItem( row, 2, cell( QLocale().toString( k.cells ), true ) );
    mClasses->setItem( row, 3, cell( formatNumber( 100 * k.areaShare, 1 ), true, k.areaShare ) );
    mClasses->setItem( row, 4, cell( formatNumber( 100 * k.eventShare, 1 ), true, k.eventShare ) );
  }

  mValidation->setRowCount( 0 );
  if ( r.validation.empty() )
  {
    mValidation->insertRow( 0 );
    mValidation->setItem( 0, 0, cell( tr( "No validation window: check one in Setup to test the model on later events." ) ) );
  }
  const QStringList methods{ QStringLiteral( "rtm" ), QStringLiteral( "kde" ), QStringLiteral( "prior_count" ) };
  for ( double share : { 0.01, 0.05, 0.10 } )
  {
    for ( int measure = 0; measure < 3; ++measure )
    {
      QList<double> values;
      for ( const QString &method : methods )
        for ( const rtm::ValidationRow &v : r.validation )
          if ( v.method == method && std::fabs( v.areaShare - share ) < 1e-9 )
            values << ( measure == 0 ? v.hitRate : measure == 1 ? v.pai
                                                                : v.pei );
      if ( values.size() != methods.size() )
        continue;
      const int row = mValidation->rowCount();
      mValidation->insertRow( row );
      mValidation->setItem( row, 0, cell( tr( "%1%" ).arg( 100 * share, 0, 'f', 0 ) ) );
      mValidation->setItem( row, 1, cell( measure == 0 ? tr( "Hit rate" ) : measure == 1 ? tr( "PAI" )
                                                                                         : tr( "PEI" ) ) );
      const double best = *std::max_element( values.begin(), values.end() );
      for ( int k = 0; k < values.size(); ++k )
      {
        QTableWidgetItem *item = cell( measure == 0 ? tr( "%1%" ).arg( formatNumber( 100 * values[k], 1 ) ) : formatNumber( values[k], measure == 1 ? 2 : 3 ), true, values[k] );
        if ( values[k] == best )
        {
          QFont f = item->font();
          f.setBold( true );
          item->setFont( f );
        }
        mValidation->setItem( row, 2 + k, item );
      }
    }
  }
  mNarrative->setPlainText( r.narrative );
  updateButtons();
}

bool RtmDock::exportShown( Export kind, const QString &path, QString *error )
{
  if ( !mShownResult.ok )
  {
    *error = tr( "No run is shown." );
    return false;
  }
  if ( kind != Export::TablesCsv && mShownResult.grid.cellsInArea() == 0 )
  {
    *error = tr( "This run was saved without its cells (an older StatDesk): run it again to export them." );
    return false;
  }
  switch ( kind )
  {
    case Export::DesignCsv:
      return rtm::exportDesignCsv( mShownResult, path, error );
    case Export::RrsGeoTiff:
      return rtm::exportRrsGeoTiff( mShownResult, mProject ? mProject->crs().toWkt( QgsCoordinateReferenceSystem::WKT_PREFERRED_GDAL ) : QString(), path, error );
    case Export::TablesCsv:
      return rtm::exportTablesCsv( mShownResult, path, error );
  }
  return false;
}

void RtmDock::exportWithDialog( Export kind )
{
  const QString base = mProject ? QFileInfo( mProject->path() ).absolutePath() : QDir::homePath();
  const QString stem = mShownRunId >= 0 ? QStringLiteral( "rtm_run_%1" ).arg( mShownRunId ) : QStringLiteral( "rtm" );
  QString path;
  if ( kind == Export::TablesCsv )
    path = QFileDialog::getExistingDirectory( this, tr( "Folder for the model, class and validation CSVs" ), base );
  else if ( kind == Export::DesignCsv )
    path = QFileDialog::getSaveFileName( this, tr( "Export Design Matrix" ), QDir( base ).filePath( stem + QStringLiteral( "_design.csv" ) ), tr( "CSV files (*.csv)" ) );
  else
    path = QFileDialog::getSaveFileName( this, tr( "Export Relative Risk Score" ), QDir( base ).filePath( stem + QStringLiteral( "_rrs.tif" ) ), tr( "GeoTIFF (*.tif)" ) );
  if ( path.isEmpty() )
    return;
  QString error;
  QApplication::setOverrideCursor( Qt::WaitCursor );
  const bool ok = exportShown( kind, path, &error );
  QApplication::restoreOverrideCursor();
  if ( ok )
    mStatus->setText( tr( "Exported %1." ).arg( path ) );
  else
    QMessageBox::warning( this, tr( "Export" ), error );
}

// ---------------------------------------------------------------------------------------------
// Saved runs

void RtmDock::refreshRuns()
{
  mRuns->setRowCount( 0 );
  if ( !mProject )
    return;
  const QList<rtm::RtmRunInfo> runs = rtm::listRtmRuns( mProject->database() );
  for ( const rtm::RtmRunInfo &info : runs )
  {
    const int row = mRuns->rowCount();
    mRuns->insertRow( row );
    rtm::CountFamily family = rtm::CountFamily::Poisson;
    rtm::parseCountFamily( info.family, &family );
    mRuns->setItem( row, 0, cell( QString::number( info.id ), true, info.id ) );
    mRuns->setItem( row, 1, cell( info.name ) );
    mRuns->setItem( row, 2, cell( info.createdAt.left( 16 ).replace( QLatin1Char( 'T' ), QLatin1Char( ' ' ) ) ) );
    mRuns->setItem( row, 3, cell( rtm::countFamilyTitle( family ) ) );
    mRuns->setItem( row, 4, cell( formatNumber( info.bic, 2 ), true ) );
    mRuns->setItem( row, 5, cell( info.selected.join( QStringLiteral( ", " ) ) ) );
    mRuns->setItem( row, 6, cell( QString::number( info.priorityPlaces ), true ) );
  }
  updateButtons();
}

QList<qint64> RtmDock::selectedRunIds() const
{
  QList<qint64> ids;
  for ( const QModelIndex &i : mRuns->selectionModel()->selectedRows() )
    ids << mRuns->item( i.row(), 0 )->data( Qt::UserRole ).toLongLong();
  return ids;
}

void RtmDock::openSelectedRun()
{
  const QList<qint64> ids = selectedRunIds();
  if ( !mProject || ids.isEmpty() )
    return;
  rtm::RtmSavedRun run;
  QString error;
  QApplication::setOverrideCursor( Qt::WaitCursor );
  const bool ok = rtm::loadRtmRun( mProject->database(), ids.front(), &run, &error );
  QApplication::restoreOverrideCursor();
  if ( !ok )
  {
    QMessageBox::warning( this, tr( "Open Run" ), error );
    return;
  }
  showResult( run.parameters, run.result, run.distanceUnit, run.info.id, tr( "Run %1: %2 (saved %3)" ).arg( run.info.id ).arg( run.info.name, run.info.createdAt.left( 16 ).replace( QLatin1Char( 'T' ), QLatin1Char( ' ' ) ) ) );
  if ( run.info.hasMapTables )
    addRunLayers( run.info.id, run.info.name, run.result.classes );
  mTabs->setCurrentIndex( 1 );
}

void RtmDock::compareSelectedRuns()
{
  const QList<qint64> ids = selectedRunIds();
  if ( !mProject || ids.size() != 2 )
  {
    QMessageBox::information( this, tr( "Compare Runs" ), tr( "Select two runs (Ctrl+click) to compare them." ) );
    return;
  }
  rtm::RtmSavedRun a, b;
  QString error;
  // Older run on the left.
  if ( !rtm::loadRtmRun( mProject->database(), std::min( ids[0], ids[1] ), &a, &error ) || !rtm::loadRtmRun( mProject->database(), std::max( ids[0], ids[1] ), &b, &error ) )
  {
    QMessageBox::warning( this, tr( "Compare Runs" ), error );
    return;
  }
  const QList<rtm::RtmComparisonRow> rows = rtm::compareRtmRuns( a, b );
  auto *dialog = new QDialog( this );
  dialog->setAttribute( Qt::WA_DeleteOnClose );
  dialog->setObjectName( QStringLiteral( "RtmCompareDialog" ) );
  dialog->setWindowTitle( tr( "Compare RTM runs %1 and %2" ).arg( a.info.id ).arg( b.info.id ) );
  auto *layout = new QVBoxLayout( dialog );
  auto *table = makeTable( { tr( "Section" ), tr( "Measure" ), tr( "Run %1" ).arg( a.info.id ), tr( "Run %1" ).arg( b.info.id ) }, dialog );
  table->setRowCount( rows.size() );
  for ( int r = 0; r < rows.size(); ++r )
  {
    const rtm::RtmComparisonRow &row = rows[r];
    const QStringList texts{ row.section, row.label, row.a, row.b };
    for ( int c = 0; c < texts.size(); ++c )
    {
      QTableWidgetItem *item = cell( texts[c] );
      if ( row.differs() && c >= 2 )
        item->setBackground( QColor( 255, 243, 205 ) );
      table->setItem( r, c, item );
    }
  }
  layout->addWidget( table );
  auto *note = new QLabel( tr( "Rows where the runs differ are highlighted." ), dialog );
  layout->addWidget( note );
  auto *buttons = new QDialogButtonBox( QDialogButtonBox::Close, dialog );
  connect( buttons, &QDialogButtonBox::rejected, dialog, &QDialog::reject );
  layout->addWidget( buttons );
  dialog->resize( 900, 600 );
  dialog->show();
}

void RtmDock::deleteSelectedRun()
{
  const QList<qint64> ids = selectedRunIds();
  if ( !mProject || ids.isEmpty() || mProject->isReadOnly() )
    return;
  if ( QMessageBox::question( this, tr( "Delete Runs" ), ids.size() == 1 ? tr( "Delete run %1 with its map layers from the project?" ).arg( ids.front() ) : tr( "Delete %1 saved runs with their map layers from the project?" ).arg( ids.size() ) ) != QMessageBox::Yes )
    return;
  QString error;
  {
    CanvasWriteGuard guard( mCanvas );
    for ( qint64 id : ids )
    {
      removeRunLayers( id );
      if ( !rtm::deleteRtmRun( *mProject, id, &error ) )
        break;
      if ( mShownRunId == id )
        mShownRunId = -1;
    }
  }
  if ( !error.isEmpty() )
    QMessageBox::warning( this, tr( "Delete Runs" ), error );
  refreshRuns();
}

// ---------------------------------------------------------------------------------------------
// Map layers

void RtmDock::addRunLayers( qint64 runId, const QString &name, const std::vector<rtm::RiskClass> &classes )
{
  if ( !mProject )
    return;
  QgsProject *project = QgsProject::instance();
  QgsLayerTree *root = project->layerTreeRoot();
  QgsLayerTreeGroup *results = root->findGroup( resultsGroupName() );
  if ( !results )
    results = root->insertGroup( 0, resultsGroupName() );
  results->setItemVisibilityChecked( true );
  results->setExpanded( true );
  QgsLayerTreeGroup *runGroup = nullptr;
  for ( QgsLayerTreeGroup *g : results->findGroups() )
  {
    const bool mine = g->customProperty( kRunGroupProperty ).toLongLong() == runId;
    g->setItemVisibilityChecked( mine ); // one run on the map at a time
    if ( mine )
      runGroup = g;
  }
  if ( runGroup && !runGroup->findLayers().isEmpty() )
    return;
  if ( !runGroup )
  {
    runGroup = results->insertGroup( 0, tr( "Run %1: %2" ).arg( runId ).arg( name ) );
    runGroup->setCustomProperty( kRunGroupProperty, runId );
  }
  QString error;
  std::unique_ptr<QgsVectorLayer> priority = rtm::makePlacesLayer( mProject->path(), runId, true, tr( "Priority places" ), &error );
  std::unique_ptr<QgsVectorLayer> highRisk = priority ? rtm::makePlacesLayer( mProject->path(), runId, false, tr( "High-risk places" ), &error ) : nullptr;
  std::unique_ptr<QgsRasterLayer> rrs = highRisk ? rtm::makeRrsLayer( mProject->path(), runId, classes, tr( "Relative risk score" ), &error ) : nullptr;
  if ( !rrs )
  {
    mStatus->setText( tr( "The run's map layers cannot be shown: %1" ).arg( error ) );
    return;
  }
  for ( QgsMapLayer *layer : { static_cast<QgsMapLayer *>( priority.release() ), static_cast<QgsMapLayer *>( highRisk.release() ), static_cast<QgsMapLayer *>( rrs.release() ) } )
  {
    project->addMapLayer( layer, false );
    runGroup->addLayer( layer );
  }
  runGroup->setExpanded( true );
}

void RtmDock::removeRunLayers( qint64 runId )
{
  QgsProject *project = QgsProject::instance();
  QStringList ids;
  for ( QgsMapLayer *layer : project->mapLayers() )
    if ( layer->customProperty( rtm::rtmRunProperty() ).isValid() && layer->customProperty( rtm::rtmRunProperty() ).toLongLong() == runId )
      ids << layer->id();
  project->removeMapLayers( ids );
  if ( QgsLayerTreeGroup *results = project->layerTreeRoot()->findGroup( resultsGroupName() ) )
  {
    for ( QgsLayerTreeGroup *g : results->findGroups() )
      if ( g->customProperty( kRunGroupProperty ).toLongLong() == runId )
        results->removeChildNode( g );
    if ( results->children().isEmpty() )
      project->layerTreeRoot()->removeChildNode( results );
  }
}

void RtmDock::repointLayers()
{
  if ( !mProject )
    return;
  const QString path = mProject->path();
  for ( QgsMapLayer *layer : QgsProject::instance()->mapLayers() )
  {
    const QVariant run = layer->customProperty( rtm::rtmRunProperty() );
    if ( !run.isValid() )
      continue;
    const qint64 id = run.toLongLong();
    if ( auto *raster = qobject_cast<QgsRasterLayer *>( layer ) )
    {
      const QString source = rtm::rtmRasterSource( path, id );
      if ( raster->source() != source )
        raster->setDataSource( source, raster->name(), QStringLiteral( "gdal" ), QgsDataProvider::ProviderOptions(), false );
    }
    else if ( auto *vector = qobject_cast<QgsVectorLayer *>( layer ) )
    {
      const QString source = QStringLiteral( "%1|layername=%2" ).arg( path, layer->customProperty( ProjectLayers::tableProperty() ).toString() );
      if ( vector->source() != source )
        vector->setDataSource( source, vector->name(), QStringLiteral( "ogr" ), QgsDataProvider::ProviderOptions(), false );
    }
  }
}

void RtmDock::updateButtons()
{
  const bool open = mProject;
  const bool writable = open && !mProject->isReadOnly();
  mRunButton->setEnabled( open && !mTask );
  mCancelButton->setEnabled( static_cast<bool>( mTask ) );
  for ( QPushButton *b : std::as_const( mExportButtons ) )
    b->setEnabled( mShownResult.ok );
  const int selected = mRuns->selectionModel() ? mRuns->selectionModel()->selectedRows().size() : 0;
  if ( mRunButtons.size() == 3 )
  {
    mRunButtons[0]->setEnabled( open && selected >= 1 );
    mRunButtons[1]->setEnabled( open && selected == 2 );
    mRunButtons[2]->setEnabled( writable && selected >= 1 && !mTask );
  }
}

} // namespace statdesk
