#include "clustering/ClusterDock.h"

#include "DateRangeWidget.h"
#include "clustering/ClusterLayers.h"
#include "clustering/ClusterRunTask.h"
#include "clustering/ClusterStore.h"
#include "clustering/HourDayGrid.h"
#include "common/Sqlite.h"
#include "project/ProjectFile.h"
#include "project/ProjectLayers.h"
#include "project/Schema.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateEdit>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

#include <qgsapplication.h>
#include <qgshighlight.h>
#include <qgslayertree.h>
#include <qgslayertreegroup.h>
#include <qgsmapcanvas.h>
#include <qgsproject.h>
#include <qgsvectorlayer.h>

#include <cmath>

namespace statdesk
{

using namespace clustering;

namespace
{
const char *kGroupProperty = "statdesk/group";
const QString kResultsGroupId = QStringLiteral( "cluster_results" );
constexpr int kSortRole = Qt::UserRole + 1;
constexpr int kIdRole = Qt::UserRole + 2;
enum Tab
{
  RunTab,
  ResultsTab,
  SavedTab,
};

QDoubleSpinBox *distanceBox( double value, double minimum, double maximum, QWidget *parent, int decimals = 0 )
{
  auto *box = new QDoubleSpinBox( parent );
  box->setDecimals( decimals );
  box->setRange( minimum, maximum );
  box->setValue( value );
  return box;
}

QSpinBox *countBox( int value, int minimum, int maximum, QWidget *parent )
{
  auto *box = new QSpinBox( parent );
  box->setRange( minimum, maximum );
  box->setValue( value );
  return box;
}

QStandardItem *cell( const QVariant &value, const QString &text = QString() )
{
  auto *item = new QStandardItem( text.isNull() ? value.toString() : text );
  item->setEditable( false );
  item->setData( value, kSortRole );
  if ( value.userType() != QMetaType::QString )
    item->setTextAlignment( Qt::AlignRight | Qt::AlignVCenter );
  return item;
}

QString unitOf( ProjectFile *project )
{
  return project && project->crs().mapUnits() == QgsUnitTypes::DistanceFeet ? QStringLiteral( "ft" ) : QStringLiteral( "m" );
}
} // namespace

ClusterDock::ClusterDock( QgsMapCanvas *canvas, QWidget *parent )
    : QDockWidget( tr( "Task Force clusters" ), parent ), mCanvas( canvas )
{
  setObjectName( QStringLiteral( "ClusterDock" ) );
  mTabs = new QTabWidget( this );
  mTabs->addTab( buildRunTab(), tr( "Run" ) );
  mTabs->addTab( buildResultsTab(), tr( "Results" ) );
  mTabs->addTab( buildSavedTab(), tr( "Saved runs" ) );
  // The main window's filter may change without telling (a project opens): read it when shown.
  connect( mTabs, &QTabWidget::currentChanged, this, &ClusterDock::updateDatesLabel );
  setWidget( mTabs );
  // Names for the tests and for style sheets.
  const QList<QPair<QObject *, const char *>> named{ { mLayer, "layer" }, { mFilter, "filter" }, { mUseMainDates, "useMainDates" }, { mDatesLabel, "datesLabel" }, { mMethod, "method" }, { mEps, "eps" }, { mDbscanMin, "dbscanMin" }, { mKnoxIterations, "knoxIterations" }, { mRunButton, "run" }, { mCancelButton, "cancel" }, { mTable, "clusterTable" }, { mCardText, "card" }, { mCardDistance, "cardDistance" }, { mHourGrid, "hourGrid" }, { mKnoxTable, "knoxTable" }, { mKnoxNarrative, "knoxNarrative" }, { mSavedRuns, "savedRuns" } };
  for ( const auto &n : named )
    n.first->setObjectName( QString::fromLatin1( n.second ) );
  setProject( nullptr );
}

void ClusterDock::showEvent( QShowEvent *event )
{
  updateDatesLabel();
  QDockWidget::showEvent( event );
}

void ClusterDock::setDateRangeWidget( DateRangeWidget *dates )
{
  if ( mDates )
    disconnect( mDates, nullptr, this, nullptr );
  mDates = dates;
  if ( mDates )
    connect( mDates, &DateRangeWidget::rangeChanged, this, &ClusterDock::updateDatesLabel );
  updateDatesLabel();
}

ClusterDock::~ClusterDock()
{
  if ( mTask )
  {
    mTask->cancel();
    mTask->waitForFinished();
  }
}

QWidget *ClusterDock::buildRunTab()
{
  auto *scroll = new QScrollArea( this );
  scroll->setWidgetResizable( true );
  auto *w = new QWidget( scroll );
  auto *layout = new QVBoxLayout( w );

  auto *input = new QGroupBox( tr( "Points" ), w );
  auto *inputForm = new QFormLayout( input );
  mLayer = new QComboBox( input );
  for ( const schema::Table &t : schema::tables() )
    if ( t.kind == schema::TableKind::PointLayer )
      mLayer->addItem( t.title, t.name );
  inputForm->addRow( tr( "Layer" ), mLayer );
  mFilter = new QLineEdit( QStringLiteral( "violent = 1" ), input );
  mFilter->setToolTip( tr( "An SQL condition on the layer's columns, e.g. violent = 1, shooting = 1, firearm = 1 AND beat = '121'" ) );
  inputForm->addRow( tr( "Filter" ), mFilter );
  connect( mLayer, qOverload<int>( &QComboBox::currentIndexChanged ), this, [this]
           { mFilter->setText( mLayer->currentData().toString() == schema::kIncidents ? QStringLiteral( "violent = 1" ) : QString() ); } );
  mUseMainDates = new QCheckBox( tr( "Dates of the main window's filter" ), input );
  mUseMainDates->setChecked( true );
  inputForm->addRow( mUseMainDates );
  mDatesLabel = new QLabel( input );
  inputForm->addRow( QString(), mDatesLabel );
  auto *dates = new QHBoxLayout();
  mFrom = new QDateEdit( QDate::currentDate().addYears( -1 ), input );
  mTo = new QDateEdit( QDate::currentDate(), input );
  for ( QDateEdit *e : { mFrom, mTo } )
  {
    e->setCalendarPopup( true );
    e->setDisplayFormat( QStringLiteral( "yyyy-MM-dd" ) );
    e->setEnabled( false );
    dates->addWidget( e );
  }
  inputForm->addRow( tr( "From / to" ), dates );
  connect( mUseMainDates, &QCheckBox::toggled, this, [this]( bool on )
           {
    mFrom->setEnabled( !on );
    mTo->setEnabled( !on );
    // Own dates start from the main window's.
    if ( !on && mDates && !mDates->allDates() )
    {
      if ( mDates->from().isValid() )
        mFrom->setDate( mDates->from() );
      if ( mDates->to().isValid() )
        mTo->setDate( mDates->to() );
    }
    updateDatesLabel(); } );
  layout->addWidget( input );

  auto *method = new QGroupBox( tr( "Method" ), w );
  auto *methodLayout = new QVBoxLayout( method );
  mMethod = new QComboBox( method );
  for ( ClusterMethod m : { ClusterMethod::Dbscan, ClusterMethod::StDbscan, ClusterMethod::Nnh, ClusterMethod::Knox, ClusterMethod::GiStar, ClusterMethod::Persistence } )
    mMethod->addItem( clusterMethodTitle( m ), static_cast<int>( m ) );
  methodLayout->addWidget( mMethod );
  mPages = new QStackedWidget( method );
  auto page = [this]()
  {
    auto *p = new QWidget( mPages );
    auto *form = new QFormLayout( p );
    form->setContentsMargins( 0, 0, 0, 0 );
    mPages->addWidget( p );
    return form;
  };
  QFormLayout *f = page();
  mEps = distanceBox( 100, 1, 100000, this );
  mDbscanMin = countBox( 5, 1, 10000, this );
  f->addRow( tr( "Distance (eps)" ), mEps );
  f->addRow( tr( "Minimum points" ), mDbscanMin );
  f = page();
  mStEps = distanceBox( 100, 1, 100000, this );
  mStDays = distanceBox( 14, 0, 3650, this, 1 );
  mStMin = countBox( 5, 1, 10000, this );
  f->addRow( tr( "Distance (eps)" ), mStEps );
  f->addRow( tr( "Days" ), mStDays );
  f->addRow( tr( "Minimum points" ), mStMin );
  f = page();
  mNnhP = distanceBox( 0.5, 0.001, 0.999, this, 3 );
  mNnhP->setSingleStep( 0.05 );
  mNnhFixed = distanceBox( 0, 0, 100000, this );
  mNnhFixed->setSpecialValueText( tr( "random expectation" ) );
  mNnhMin = countBox( 10, 2, 10000, this );
  mNnhOrder = countBox( 3, 1, 10, this );
  mNnhRuns = countBox( 0, 0, 999, this );
  mNnhRuns->setSpecialValueText( tr( "none" ) );
  f->addRow( tr( "Threshold p (one-tailed)" ), mNnhP );
  f->addRow( tr( "Fixed distance" ), mNnhFixed );
  f->addRow( tr( "Minimum points" ), mNnhMin );
  f->addRow( tr( "Highest order" ), mNnhOrder );
  f->addRow( tr( "Monte Carlo runs" ), mNnhRuns );
  f = page();
  mKnoxDistance = distanceBox( 100, 1, 100000, this );
  mKnoxDistanceBands = countBox( 5, 1, 100, this );
  mKnoxDays = distanceBox( 14, 1, 3650, this, 1 );
  mKnoxDayBands = countBox( 5, 1, 100, this );
  mKnoxIterations = countBox( 999, 1, 99999, this );
  mKnoxSeed = countBox( 1, 0, 2147483647, this );
  mKnoxNrc = new QCheckBox( tr( "Near Repeat Calculator banding" ), this );
  mChainDistance = distanceBox( 0, 0, 100000, this );
  mChainDistance->setSpecialValueText( tr( "first band" ) );
  mChainDays = distanceBox( 0, 0, 3650, this, 1 );
  mChainDays->setSpecialValueText( tr( "first band" ) );
  mChainMin = countBox( 3, 2, 1000, this );
  f->addRow( tr( "Distance band" ), mKnoxDistance );
  f->addRow( tr( "Distance bands" ), mKnoxDistanceBands );
  f->addRow( tr( "Days band" ), mKnoxDays );
  f->addRow( tr( "Day bands" ), mKnoxDayBands );
  f->addRow( tr( "Iterations" ), mKnoxIterations );
  f->addRow( tr( "Seed" ), mKnoxSeed );
  f->addRow( mKnoxNrc );
  f->addRow( tr( "Chain distance" ), mChainDistance );
  f->addRow( tr( "Chain days" ), mChainDays );
  f->addRow( tr( "Events for a cluster" ), mChainMin );
  f = page();
  mGiCell = distanceBox( 150, 1, 100000, this );
  mGiBand = distanceBox( 0, 0, 1000000, this );
  mGiBand->setSpecialValueText( tr( "queen (cell × √2)" ) );
  mGiFdr = new QCheckBox( tr( "FDR-corrected bins" ), this );
  mGiFdr->setChecked( true );
  mGiMinBin = new QComboBox( this );
  mGiMinBin->addItem( tr( "90% confidence" ), 1 );
  mGiMinBin->addItem( tr( "95% confidence" ), 2 );
  mGiMinBin->addItem( tr( "99% confidence" ), 3 );
  mGiMinBin->setCurrentIndex( 1 );
  f->addRow( tr( "Cell size" ), mGiCell );
  f->addRow( tr( "Distance band" ), mGiBand );
  f->addRow( mGiFdr );
  f->addRow( tr( "Clusters of hot cells at" ), mGiMinBin );
  f = page();
  mPersistCell = distanceBox( 150, 1, 100000, this );
  mPersistPeriod = distanceBox( 28, 1, 3650, this );
  mPersistRecent = countBox( 0, 0, 1000, this );
  mPersistRecent->setSpecialValueText( tr( "last quarter" ) );
  mPersistFdr = new QCheckBox( tr( "FDR-corrected bins" ), this );
  f->addRow( tr( "Cell size" ), mPersistCell );
  f->addRow( tr( "Period (days)" ), mPersistPeriod );
  f->addRow( tr( "Recent periods" ), mPersistRecent );
  f->addRow( mPersistFdr );
  methodLayout->addWidget( mPages );
  connect( mMethod, qOverload<int>( &QComboBox::currentIndexChanged ), this, [this]( int index )
           {
    // Only the shown page counts for the size: DBSCAN's two fields need no room for Knox's ten.
    for ( int i = 0; i < mPages->count(); ++i )
      mPages->widget( i )->setSizePolicy( QSizePolicy::Preferred, i == index ? QSizePolicy::Preferred : QSizePolicy::Ignored );
    mPages->setCurrentIndex( index );
    mPages->adjustSize(); } );
  for ( int i = 1; i < mPages->count(); ++i )
    mPages->widget( i )->setSizePolicy( QSizePolicy::Preferred, QSizePolicy::Ignored );
  layout->addWidget( method );

  auto *output = new QGroupBox( tr( "Clusters and cards" ), w );
  auto *outputForm = new QFormLayout( output );
  mShape = new QComboBox( output );
  mShape->addItem( tr( "Convex hull, buffered" ), static_cast<int>( ClusterShape::BufferedHull ) );
  mShape->addItem( tr( "Standard deviational ellipse" ), static_cast<int>( ClusterShape::Ellipse ) );
  outputForm->addRow( tr( "Polygons" ), mShape );
  mBuffer = distanceBox( -1, -1, 100000, output );
  mBuffer->setSpecialValueText( tr( "the method's distance" ) );
  outputForm->addRow( tr( "Hull buffer" ), mBuffer );
  mEnvironment = distanceBox( 150, 0, 100000, output );
  outputForm->addRow( tr( "Environment within" ), mEnvironment );
  mRunName = new QLineEdit( output );
  mRunName->setPlaceholderText( tr( "(its description)" ) );
  outputForm->addRow( tr( "Run name" ), mRunName );
  layout->addWidget( output );

  auto *buttons = new QHBoxLayout();
  mRunButton = new QPushButton( tr( "Run" ), w );
  mCancelButton = new QPushButton( tr( "Cancel" ), w );
  mCancelButton->setEnabled( false );
  buttons->addWidget( mRunButton );
  buttons->addWidget( mCancelButton );
  layout->addLayout( buttons );
  connect( mRunButton, &QPushButton::clicked, this, &ClusterDock::runAnalysis );
  connect( mCancelButton, &QPushButton::clicked, this, &ClusterDock::cancelAnalysis );
  mProgress = new QProgressBar( w );
  mProgress->setRange( 0, 100 );
  layout->addWidget( mProgress );
  mStatus = new QLabel( w );
  mStatus->setWordWrap( true );
  mStatus->setTextInteractionFlags( Qt::TextSelectableByMouse );
  layout->addWidget( mStatus );
  layout->addStretch( 1 );
  scroll->setWidget( w );
  return scroll;
}

QWidget *ClusterDock::buildResultsTab()
{
  auto *splitter = new QSplitter( Qt::Vertical, this );
  auto *top = new QWidget( splitter );
  auto *topLayout = new QVBoxLayout( top );
  topLayout->setContentsMargins( 0, 0, 0, 0 );
  mRunHeader = new QLabel( tr( "No run yet: choose a method on the Run tab." ), top );
  mRunHeader->setWordWrap( true );
  topLayout->addWidget( mRunHeader );
  mModel = new QStandardItemModel( this );
  mProxy = new QSortFilterProxyModel( this );
  mProxy->setSourceModel( mModel );
  mProxy->setSortRole( kSortRole );
  mTable = new QTableView( top );
  mTable->setModel( mProxy );
  mTable->setSortingEnabled( true );
  mTable->setSelectionBehavior( QAbstractItemView::SelectRows );
  mTable->setSelectionMode( QAbstractItemView::SingleSelection );
  mTable->verticalHeader()->setVisible( false );
  mTable->horizontalHeader()->setStretchLastSection( true );
  topLayout->addWidget( mTable, 1 );
  connect( mTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this]( const QModelIndex &current )
           {
    if ( current.isValid() )
      showCluster( mProxy->index( current.row(), 0 ).data( kIdRole ).toInt() ); } );
  mExportButton = new QPushButton( tr( "Export clusters…" ), top );
  mExportButton->setToolTip( tr( "The clusters with their card attributes as a GeoPackage or CSV file" ) );
  mExportButton->setEnabled( false );
  connect( mExportButton, &QPushButton::clicked, this, [this]
           {
    QString path = QFileDialog::getSaveFileName( this, tr( "Export Clusters" ), QString(), tr( "GeoPackage (*.gpkg);;CSV (*.csv)" ) );
    if ( path.isEmpty() )
      return;
    if ( QFileInfo( path ).suffix().isEmpty() )
      path += QStringLiteral( ".gpkg" );
    exportRun( path ); } );
  topLayout->addWidget( mExportButton );

  // The card and the Knox tables scroll together below the table.
  auto *scroll = new QScrollArea( splitter );
  scroll->setWidgetResizable( true );
  auto *details = new QWidget( scroll );
  auto *detailsLayout = new QVBoxLayout( details );
  detailsLayout->setContentsMargins( 0, 0, 0, 0 );
  auto *card = new QGroupBox( tr( "Selected cluster" ), details );
  detailsLayout->addWidget( card );
  auto *cardLayout = new QVBoxLayout( card );
  auto *distance = new QFormLayout();
  mCardDistance = distanceBox( 150, 0, 100000, card );
  mCardDistance->setToolTip( tr( "Count blight 311 requests, vacant parcels and dangerous buildings this close to the cluster's polygon" ) );
  connect( mCardDistance, qOverload<double>( &QDoubleSpinBox::valueChanged ), this, &ClusterDock::updateCard );
  distance->addRow( tr( "Environment within" ), mCardDistance );
  cardLayout->addLayout( distance );
  mCardText = new QLabel( tr( "Select a cluster in the table." ), card );
  mCardText->setWordWrap( true );
  mCardText->setTextInteractionFlags( Qt::TextSelectableByMouse );
  mCardText->setAlignment( Qt::AlignTop | Qt::AlignLeft );
  cardLayout->addWidget( mCardText );
  mHourGrid = new HourDayGrid( card );
  mHourGrid->setToolTip( tr( "Incidents by hour of day and day of week (local time)" ) );
  cardLayout->addWidget( mHourGrid );

  mKnoxBox = new QGroupBox( tr( "Knox test: observed / expected (Monte Carlo p)" ), details );
  detailsLayout->addWidget( mKnoxBox );
  auto *knoxLayout = new QVBoxLayout( mKnoxBox );
  mKnoxTable = new QTableWidget( mKnoxBox );
  mKnoxTable->setEditTriggers( QAbstractItemView::NoEditTriggers );
  knoxLayout->addWidget( mKnoxTable );
  mKnoxNarrative = new QLabel( mKnoxBox );
  mKnoxNarrative->setWordWrap( true );
  knoxLayout->addWidget( mKnoxNarrative );
  mKnoxBox->hide();
  detailsLayout->addStretch( 1 );
  scroll->setWidget( details );
  splitter->setStretchFactor( 0, 2 );
  splitter->setStretchFactor( 1, 3 );
  return splitter;
}

QWidget *ClusterDock::buildSavedTab()
{
  auto *w = new QWidget( this );
  auto *layout = new QVBoxLayout( w );
  mSavedRuns = new QTableWidget( 0, 5, w );
  mSavedRuns->setHorizontalHeaderLabels( { tr( "Run" ), tr( "Created" ), tr( "Method" ), tr( "Clusters" ), tr( "Description" ) } );
  mSavedRuns->setSelectionBehavior( QAbstractItemView::SelectRows );
  mSavedRuns->setSelectionMode( QAbstractItemView::SingleSelection );
  mSavedRuns->setEditTriggers( QAbstractItemView::NoEditTriggers );
  mSavedRuns->verticalHeader()->setVisible( false );
  mSavedRuns->horizontalHeader()->setStretchLastSection( true );
  layout->addWidget( mSavedRuns );
  auto selectedRun = [this]() -> qint64
  {
    const int row = mSavedRuns->currentRow();
    return row >= 0 && mSavedRuns->item( row, 0 ) ? mSavedRuns->item( row, 0 )->data( Qt::UserRole ).toLongLong() : -1;
  };
  auto *buttons = new QHBoxLayout();
  auto *open = new QPushButton( tr( "Open" ), w );
  auto *remove = new QPushButton( tr( "Delete…" ), w );
  buttons->addWidget( open );
  buttons->addWidget( remove );
  buttons->addStretch( 1 );
  layout->addLayout( buttons );
  connect( open, &QPushButton::clicked, this, [this, selectedRun]
           {
    if ( selectedRun() >= 0 && openRun( selectedRun() ) )
      mTabs->setCurrentIndex( ResultsTab ); } );
  connect( mSavedRuns, &QTableWidget::cellDoubleClicked, this, [this, selectedRun]
           {
    if ( selectedRun() >= 0 && openRun( selectedRun() ) )
      mTabs->setCurrentIndex( ResultsTab ); } );
  connect( remove, &QPushButton::clicked, this, [this, selectedRun]
           {
    const qint64 id = selectedRun();
    if ( id < 0 )
      return;
    if ( QMessageBox::question( this, tr( "Delete Run" ), tr( "Delete clustering run %1 and its clusters from the project?" ).arg( id ) ) == QMessageBox::Yes )
      deleteRun( id ); } );
  return w;
}

void ClusterDock::setProject( ProjectFile *project )
{
  if ( mTask )
  {
    mTask->cancel();
    mTask->waitForFinished();
  }
  mHighlight.reset();
  mProject = project;
  mRun = ClusterAnalysis();
  mCard = ClusterCard();
  mPersistence = PersistenceLookup();
  mSelectedCluster = -1;
  mLayers.clear(); // the project's layers go with the QGIS project
  mModel->clear();
  mKnoxBox->hide();
  mExportButton->setEnabled( false );
  mRunHeader->setText( tr( "No run yet: choose a method on the Run tab." ) );
  mCardText->setText( tr( "Select a cluster in the table." ) );
  mHourGrid->setCounts( {} );
  mRunButton->setEnabled( project );
  const QString unit = QStringLiteral( " %1" ).arg( unitOf( project ) );
  for ( QDoubleSpinBox *box : { mEps, mStEps, mNnhFixed, mKnoxDistance, mChainDistance, mGiCell, mGiBand, mPersistCell, mBuffer, mEnvironment, mCardDistance } )
    box->setSuffix( unit );
  setStatus( project && project->isReadOnly() ? tr( "The project is open read-only: runs are shown but not saved." ) : QString() );
  updateDatesLabel();
  refreshSavedRuns();
}

ClusterRunSpec ClusterDock::spec() const
{
  ClusterRunSpec s;
  s.method = static_cast<ClusterMethod>( mMethod->currentData().toInt() );
  s.layer = mLayer->currentData().toString();
  s.filter = mFilter->text().trimmed();
  if ( mUseMainDates->isChecked() )
  {
    if ( mDates && !mDates->allDates() )
    {
      s.from = mDates->from();
      s.to = mDates->to();
    }
  }
  else
  {
    s.from = mFrom->date();
    s.to = mTo->date();
  }
  s.dbscan.eps = s.method == ClusterMethod::StDbscan ? mStEps->value() : mEps->value();
  s.dbscan.minPoints = s.method == ClusterMethod::StDbscan ? mStMin->value() : mDbscanMin->value();
  s.dbscan.epsSeconds = s.method == ClusterMethod::StDbscan ? mStDays->value() * 86400.0 : -1;
  s.nnh.pValue = mNnhP->value();
  s.nnh.fixedDistance = mNnhFixed->value();
  s.nnh.minPoints = mNnhMin->value();
  s.nnh.maxOrder = mNnhOrder->value();
  s.nnh.monteCarloRuns = mNnhRuns->value();
  s.knox.spatialBandwidth = mKnoxDistance->value();
  s.knox.spatialBands = mKnoxDistanceBands->value();
  s.knox.temporalBandwidthDays = mKnoxDays->value();
  s.knox.temporalBands = mKnoxDayBands->value();
  s.knox.iterations = mKnoxIterations->value();
  s.knox.seed = static_cast<quint64>( mKnoxSeed->value() );
  s.knox.nrcCompatible = mKnoxNrc->isChecked();
  s.knox.chainDistance = mChainDistance->value();
  s.knox.chainDays = mChainDays->value();
  s.minimumChainEvents = mChainMin->value();
  s.giStar.cellSize = mGiCell->value();
  s.giStar.band = mGiBand->value();
  s.giStar.fdr = mGiFdr->isChecked();
  s.minimumBin = mGiMinBin->currentData().toInt();
  s.persistence.giStar.cellSize = mPersistCell->value();
  s.persistence.giStar.fdr = mPersistFdr->isChecked();
  s.persistence.periodDays = mPersistPeriod->value();
  s.persistence.recentPeriods = mPersistRecent->value();
  s.shape = static_cast<ClusterShape>( mShape->currentData().toInt() );
  s.buffer = mBuffer->value();
  s.environmentDistance = mEnvironment->value();
  return s;
}

void ClusterDock::updateDatesLabel()
{
  if ( !mUseMainDates->isChecked() )
  {
    mDatesLabel->clear();
    return;
  }
  const ClusterRunSpec s = spec();
  mDatesLabel->setText( s.from.isValid() || s.to.isValid() ? tr( "%1 to %2" ).arg( s.from.isValid() ? s.from.toString( Qt::ISODate ) : tr( "the first" ), s.to.isValid() ? s.to.toString( Qt::ISODate ) : tr( "the last" ) )
                                                           : tr( "all dates" ) );
}

void ClusterDock::setStatus( const QString &text )
{
  mStatus->setText( text );
}

void ClusterDock::runAnalysis()
{
  if ( !mProject || mTask )
    return;
  const ClusterRunSpec s = spec();
  {
    // A typo in the filter is told now, not after a background start.
    const QString where = s.whereClause();
    SqliteStatement check( mProject->database(), QStringLiteral( "SELECT 1 FROM \"%1\"%2 LIMIT 1" ).arg( s.layer, where.isEmpty() ? QString() : QStringLiteral( " WHERE %1" ).arg( where ) ) );
    if ( !check.isValid() )
    {
      setStatus( tr( "The filter cannot be used: %1" ).arg( mProject->database().lastSqliteError() ) );
      emit runFinished( false );
      return;
    }
  }
  auto *task = new ClusterRunTask( mProject, s, mRunName->text().trimmed() );
  mTask = task;
  connect( task, &QgsTask::progressChanged, mProgress, [this]( double p )
           { mProgress->setValue( static_cast<int>( p ) ); } );
  connect( task, &QgsTask::taskCompleted, this, [this]
           { taskFinished( true ); } );
  connect( task, &QgsTask::taskTerminated, this, [this]
           { taskFinished( false ); } );
  mRunButton->setEnabled( false );
  mCancelButton->setEnabled( true );
  mProgress->setValue( 0 );
  setStatus( tr( "Running %1…" ).arg( s.describe() ) );
  QgsApplication::taskManager()->addTask( task );
}

void ClusterDock::cancelAnalysis()
{
  if ( mTask )
    mTask->cancel();
}

void ClusterDock::taskFinished( bool ok )
{
  ClusterRunTask *task = mTask;
  mTask = nullptr;
  mRunButton->setEnabled( mProject );
  mCancelButton->setEnabled( false );
  if ( !task )
    return;
  const ClusterAnalysis &run = task->analysis();
  if ( !ok || !run.ok )
  {
    mProgress->setValue( 0 );
    setStatus( run.canceled || task->wasCanceled() ? tr( "Cancelled: the project is unchanged." ) : tr( "The run failed: %1" ).arg( run.errorString ) );
    emit runFinished( false );
    return;
  }
  mProgress->setValue( 100 );
  QString saved;
  if ( run.runId >= 0 )
    saved = tr( "Saved as run %1." ).arg( run.runId );
  else if ( mProject->isReadOnly() )
    saved = tr( "Not saved: the project is open read-only." );
  else
    saved = tr( "Not saved: %1" ).arg( task->saveError() );
  setStatus( tr( "%1 from %2 points. %3" ).arg( countPhrase( static_cast<qint64>( run.clusters.size() ), tr( "1 cluster" ), tr( "%1 clusters" ) ) ).arg( run.inputPoints ).arg( saved ) );
  showRun( run );
  refreshSavedRuns();
  mTabs->setCurrentIndex( ResultsTab );
  emit runFinished( true );
}

void ClusterDock::showRun( const ClusterAnalysis &run )
{
  mHighlight.reset();
  removeResultLayers();
  mRun = run;
  mSelectedCluster = -1;
  mCard = ClusterCard();
  mPersistence = run.spec.method == ClusterMethod::Persistence ? persistenceLookup( run ) : loadPersistenceLookup( mProject->database(), run.spec.layer );
  mCardDistance->blockSignals( true );
  mCardDistance->setValue( run.spec.environmentDistance );
  mCardDistance->blockSignals( false );
  mCardText->setText( run.clusters.empty() ? tr( "This run found no clusters." ) : tr( "Select a cluster in the table." ) );
  mHourGrid->setCounts( {} );
  QString header = run.spec.describe();
  if ( run.runId >= 0 )
    header = tr( "Run %1 (%2): %3" ).arg( run.runId ).arg( run.createdAt.left( 16 ).replace( QLatin1Char( 'T' ), QLatin1Char( ' ' ) ), header );
  mRunHeader->setText( tr( "%1\n%2 from %3 points." ).arg( header, countPhrase( static_cast<qint64>( run.clusters.size() ), tr( "1 cluster" ), tr( "%1 clusters" ) ) ).arg( run.inputPoints ) );
  fillClusterTable();
  fillKnoxTables();
  addResultLayers();
  mExportButton->setEnabled( !run.clusters.empty() );
}

void ClusterDock::fillClusterTable()
{
  mModel->clear();
  mModel->setHorizontalHeaderLabels( { tr( "Cluster" ), tr( "Incidents" ), tr( "Addresses" ), tr( "First" ), tr( "Last" ), tr( "Firearm" ),
                                       tr( "Persistence" ), tr( "Open blight" ), tr( "Vacant" ), tr( "Dangerous" ), tr( "Detail" ) } );
  for ( const ClusterRecord &c : mRun.clusters )
  {
    const ClusterCard &k = c.card;
    QList<QStandardItem *> row;
    QStandardItem *label = cell( c.id, c.label );
    label->setData( c.id, kIdRole );
    row << label << cell( static_cast<int>( c.fids.size() ) ) << cell( k.distinctAddresses )
        << cell( k.first.isValid() ? k.first.date().toString( Qt::ISODate ) : QString() ) << cell( k.last.isValid() ? k.last.date().toString( Qt::ISODate ) : QString() )
        << cell( k.firearm >= 0 ? QVariant( k.firearmShare() ) : QVariant( -1.0 ), k.firearm >= 0 ? QStringLiteral( "%1%" ).arg( qRound( 100 * k.firearmShare() ) ) : QString() )
        << cell( k.persistence ) << cell( k.openBlight ) << cell( k.vacantParcels ) << cell( k.dangerousBuildings ) << cell( c.detail );
    mModel->appendRow( row );
  }
  mTable->sortByColumn( 1, Qt::DescendingOrder );
  mTable->resizeColumnsToContents();
}

void ClusterDock::fillKnoxTables()
{
  if ( mRun.spec.method != ClusterMethod::Knox )
  {
    mKnoxBox->hide();
    return;
  }
  const QJsonObject &s = mRun.summary;
  const QJsonArray rows = s.value( QStringLiteral( "rows" ) ).toArray();
  const QJsonArray columns = s.value( QStringLiteral( "columns" ) ).toArray();
  const QJsonArray ratio = s.value( QStringLiteral( "ratio" ) ).toArray();
  const QJsonArray p = s.value( QStringLiteral( "p" ) ).toArray();
  const QJsonArray observed = s.value( QStringLiteral( "observed" ) ).toArray();
  const QJsonArray expected = s.value( QStringLiteral( "expected" ) ).toArray();
  mKnoxTable->clear();
  mKnoxTable->setRowCount( rows.size() );
  mKnoxTable->setColumnCount( columns.size() );
  QStringList rowLabels, columnLabels;
  for ( const QJsonValue &v : rows )
    rowLabels << v.toString();
  for ( const QJsonValue &v : columns )
    columnLabels << v.toString();
  mKnoxTable->setVerticalHeaderLabels( rowLabels );
  mKnoxTable->setHorizontalHeaderLabels( columnLabels );
  for ( int r = 0; r < rows.size(); ++r )
    for ( int c = 0; c < columns.size(); ++c )
    {
      const QJsonValue ratioValue = ratio.at( r ).toArray().at( c );
      const double pValue = p.at( r ).toArray().at( c ).toDouble( 1 );
      auto *item = new QTableWidgetItem( QStringLiteral( "%1 (%2)" ).arg( ratioValue.isDouble() ? QString::number( ratioValue.toDouble(), 'f', 2 ) : QStringLiteral( "–" ) ).arg( pValue, 0, 'f', 3 ) );
      item->setToolTip( tr( "Observed %1 pairs, expected %2" ).arg( observed.at( r ).toArray().at( c ).toDouble() ).arg( expected.at( r ).toArray().at( c ).toDouble(), 0, 'f', 1 ) );
      if ( pValue <= 0.05 && ratioValue.toDouble() > 1 )
        item->setBackground( QColor( 250, 200, 180 ) );
      mKnoxTable->setItem( r, c, item );
    }
  mKnoxTable->resizeColumnsToContents();
  mKnoxNarrative->setText( s.value( QStringLiteral( "narrative" ) ).toString() );
  mKnoxBox->show();
}

QgsLayerTreeGroup *ClusterDock::resultsGroup()
{
  for ( QgsLayerTreeNode *node : QgsProject::instance()->layerTreeRoot()->children() )
    if ( QgsLayerTree::isGroup( node ) && node->customProperty( kGroupProperty ).toString() == kResultsGroupId )
      return QgsLayerTree::toGroup( node );
  return nullptr;
}

void ClusterDock::removeResultLayers()
{
  // The group may also hold layers of a run shown before the project was saved and reopened.
  if ( QgsLayerTreeGroup *group = resultsGroup() )
  {
    QStringList ids;
    for ( QgsLayerTreeLayer *node : group->findLayers() )
      ids << node->layerId();
    QgsProject::instance()->removeMapLayers( ids );
    QgsProject::instance()->layerTreeRoot()->removeChildNode( group );
  }
  for ( const QPointer<QgsVectorLayer> &layer : std::as_const( mLayers ) )
    if ( layer )
      QgsProject::instance()->removeMapLayer( layer->id() );
  mLayers.clear();
}

void ClusterDock::addResultLayers()
{
  if ( !mProject )
    return;
  const QgsCoordinateReferenceSystem crs = mProject->crs();
  struct Result
  {
    QString table;
    QString name;
    std::function<std::unique_ptr<QgsVectorLayer>()> memory;
    std::function<void( QgsVectorLayer * )> style;
  };
  QVector<Result> results;
  const ClusterMethod method = mRun.spec.method;
  const QString run = mRun.runId >= 0 ? tr( " (run %1)" ).arg( mRun.runId ) : QString();
  if ( method == ClusterMethod::Knox )
    results << Result{ schema::kClusterChains, tr( "Near-repeat chains%1" ).arg( run ), [this, crs]
                       { return makeClusterChainLayer( mRun, crs, mProject->timeZone() ); },
                       styleClusterChains };
  results << Result{ schema::kClusterPolygons, tr( "Clusters%1" ).arg( run ), [this, crs]
                     { return makeClusterPolygonLayer( mRun, crs ); },
                     styleClusterPolygons };
  if ( method == ClusterMethod::GiStar || method == ClusterMethod::Persistence )
    results << Result{ schema::kClusterCells, method == ClusterMethod::GiStar ? tr( "Gi* hot spots%1" ).arg( run ) : tr( "Hot-spot persistence%1" ).arg( run ),
                       [this, crs]
                       { return makeClusterCellLayer( mRun, crs ); },
                       [method]( QgsVectorLayer *l )
                       { styleClusterCells( l, method ); } };

  auto *group = new QgsLayerTreeGroup( tr( "Clustering results" ) );
  group->setCustomProperty( kGroupProperty, kResultsGroupId );
  for ( const Result &r : results )
  {
    std::unique_ptr<QgsVectorLayer> layer;
    if ( mRun.runId >= 0 )
    {
      // A saved run: layers on the project's tables, so a saved map shows them again (also in QGIS).
      layer = std::make_unique<QgsVectorLayer>( QStringLiteral( "%1|layername=%2" ).arg( mProject->path(), r.table ), r.name, QStringLiteral( "ogr" ) );
      if ( layer->isValid() && layer->setSubsetString( QStringLiteral( "\"run_id\" = %1" ).arg( mRun.runId ) ) )
        layer->setCustomProperty( ProjectLayers::tableProperty(), r.table );
      else
        layer.reset();
    }
    if ( !layer )
    {
      layer = r.memory();
      layer->setName( r.name );
    }
    layer->setCustomProperty( ProjectLayers::roleProperty(), kClusterResultRole );
    layer->setCustomProperty( runProperty(), mRun.runId );
    r.style( layer.get() );
    QgsVectorLayer *added = qobject_cast<QgsVectorLayer *>( QgsProject::instance()->addMapLayer( layer.release(), false ) );
    group->addLayer( added );
    mLayers << added;
  }
  QgsProject::instance()->layerTreeRoot()->insertChildNode( 0, group );
  // Layer tree views follow a node's expandedChanged(); a group inserted open does not tell them.
  group->setExpanded( false );
  group->setExpanded( true );
  if ( mCanvas )
    mCanvas->refresh();
}

QList<QgsVectorLayer *> ClusterDock::resultLayers() const
{
  QList<QgsVectorLayer *> layers;
  for ( const QPointer<QgsVectorLayer> &l : mLayers )
    if ( l )
      layers << l;
  return layers;
}

void ClusterDock::showCluster( int clusterId )
{
  const ClusterRecord *c = mRun.cluster( clusterId );
  if ( !c )
    return;
  mSelectedCluster = clusterId;
  if ( mCanvas && !c->polygon.isNull() )
  {
    mHighlight = std::make_unique<QgsHighlight>( mCanvas, c->polygon, mLayers.isEmpty() ? nullptr : mLayers.constFirst().data() );
    mHighlight->setColor( QColor( 0, 170, 255 ) );
    mHighlight->setFillColor( QColor( 0, 170, 255, 50 ) );
    mHighlight->setWidth( 3 );
    mHighlight->show();
    QgsRectangle extent = c->polygon.boundingBox();
    const double side = std::max( { extent.width(), extent.height(), 300.0 } );
    extent = QgsRectangle( extent.center().x() - side, extent.center().y() - side, extent.center().x() + side, extent.center().y() + side );
    mCanvas->setExtent( extent );
    mCanvas->refresh();
  }
  updateCard();
}

void ClusterDock::updateCard()
{
  const ClusterRecord *c = mRun.cluster( mSelectedCluster );
  if ( !c || !mProject )
    return;
  ClusterCardOptions options = cardOptions( *mProject, mRun.spec );
  options.environmentDistance = mCardDistance->value();
  options.persistence = &mPersistence;
  QString error;
  if ( !mRun.environment ) // a reopened run: read once, then every card of it counts from memory
    mRun.environment = ClusterEnvironment::load( mProject->database(), &error );
  options.environment = mRun.environment.get();
  if ( !computeClusterCard( mProject->database(), c->fids, c->polygon, options, &mCard, &error ) )
  {
    mCardText->setText( tr( "The card cannot be computed: %1" ).arg( error ) );
    return;
  }
  mCardText->setText( QStringLiteral( "<b>%1</b> — %2<br>%3" ).arg( c->label.toHtmlEscaped(), c->detail.toHtmlEscaped(), mCard.text( false, unitOf( mProject ) ).toHtmlEscaped().replace( QLatin1Char( '\n' ), QStringLiteral( "<br>" ) ) ) );
  mHourGrid->setCounts( mCard.hourByDay );
}

void ClusterDock::refreshSavedRuns()
{
  mSavedRuns->setRowCount( 0 );
  if ( !mProject )
    return;
  const std::vector<ClusterRunInfo> runs = listClusterRuns( mProject->database() );
  mSavedRuns->setRowCount( static_cast<int>( runs.size() ) );
  for ( int i = 0; i < static_cast<int>( runs.size() ); ++i )
  {
    const ClusterRunInfo &r = runs[i];
    auto *id = new QTableWidgetItem( QString::number( r.id ) );
    id->setData( Qt::UserRole, r.id );
    mSavedRuns->setItem( i, 0, id );
    mSavedRuns->setItem( i, 1, new QTableWidgetItem( r.createdAt.left( 16 ).replace( QLatin1Char( 'T' ), QLatin1Char( ' ' ) ) ) );
    mSavedRuns->setItem( i, 2, new QTableWidgetItem( clusterMethodTitle( r.method ) ) );
    mSavedRuns->setItem( i, 3, new QTableWidgetItem( QString::number( r.clusters ) ) );
    auto *name = new QTableWidgetItem( r.name );
    name->setToolTip( r.description );
    mSavedRuns->setItem( i, 4, name );
  }
  mSavedRuns->resizeColumnsToContents();
}

bool ClusterDock::openRun( qint64 runId )
{
  if ( !mProject )
    return false;
  ClusterAnalysis run;
  QString error;
  if ( !loadClusterRun( mProject->database(), runId, &run, &error ) )
  {
    setStatus( error );
    return false;
  }
  showRun( run );
  setStatus( tr( "Opened run %1." ).arg( runId ) );
  return true;
}

bool ClusterDock::deleteRun( qint64 runId )
{
  if ( !mProject )
    return false;
  if ( mRun.runId == runId )
  {
    // Its layers read the rows about to go.
    mHighlight.reset();
    removeResultLayers();
    mRun = ClusterAnalysis();
    mModel->clear();
    mKnoxBox->hide();
    mExportButton->setEnabled( false );
    mRunHeader->setText( tr( "Run %1 was deleted." ).arg( runId ) );
    mCardText->clear();
    mHourGrid->setCounts( {} );
  }
  QString error;
  const bool ok = deleteClusterRun( *mProject, runId, &error );
  setStatus( ok ? tr( "Deleted run %1." ).arg( runId ) : error );
  refreshSavedRuns();
  return ok;
}

bool ClusterDock::exportRun( const QString &path )
{
  if ( !mProject || !mRun.ok )
    return false;
  QString error;
  const bool ok = exportClusters( mRun, mProject->crs(), path, &error );
  setStatus( ok ? tr( "Exported %1 to %2." ).arg( countPhrase( static_cast<qint64>( mRun.clusters.size() ), tr( "1 cluster" ), tr( "%1 clusters" ) ), path ) : error );
  return ok;
}

} // namespace statdesk
