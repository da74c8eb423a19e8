#include "rtm/RiskFactorTable.h"

#include "common/Sqlite.h"
#include "project/ProjectFile.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>

namespace statdesk
{

namespace
{
QString quotedIdentifier( const QString &name )
{
  QString s = name;
  return QStringLiteral( "\"%1\"" ).arg( s.replace( '"', QStringLiteral( "\"\"" ) ) );
}

QgsWkbTypes::GeometryType geometryOf( const QString &type )
{
  const QString t = type.toUpper();
  if ( t.contains( QLatin1String( "POINT" ) ) )
    return QgsWkbTypes::PointGeometry;
  if ( t.contains( QLatin1String( "POLYGON" ) ) || t.contains( QLatin1String( "SURFACE" ) ) )
    return QgsWkbTypes::PolygonGeometry;
  return QgsWkbTypes::LineGeometry;
}

const QStringList &operationalisations()
{
  static const QStringList ops{ QStringLiteral( "proximity" ), QStringLiteral( "density" ), QStringLiteral( "both" ) };
  return ops;
}
} // namespace

QList<RtmLayerChoice> rtmLayerChoices( ProjectFile *project )
{
  QList<RtmLayerChoice> layers;
  if ( !project )
    return layers;
  SqliteStatement st( project->database(), QStringLiteral( "SELECT table_name, geometry_type_name FROM gpkg_geometry_columns "
                                                           "WHERE table_name NOT LIKE 'rtm\\_%' ESCAPE '\\' AND table_name NOT LIKE 'restricted\\_%' ESCAPE '\\' ORDER BY table_name" ) );
  while ( st.next() )
    layers << RtmLayerChoice{ st.text( 0 ), geometryOf( st.text( 1 ) ) };
  return layers;
}

QString RtmLayerChoice::label() const
{
  switch ( geometry )
  {
    case QgsWkbTypes::PointGeometry:
      return QObject::tr( "%1 (points)" ).arg( table );
    case QgsWkbTypes::PolygonGeometry:
      return QObject::tr( "%1 (polygons)" ).arg( table );
    default:
      return QObject::tr( "%1 (lines)" ).arg( table );
  }
}

// ---------------------------------------------------------------------------------------------
// RiskFactorDialog

RiskFactorDialog::RiskFactorDialog( ProjectFile *project, const rtm::RiskFactorSpec &factor, const QStringList &usedNames, QWidget *parent )
    : QDialog( parent ), mProject( project ), mUsedNames( usedNames )
{
  setWindowTitle( factor.layer.isEmpty() ? tr( "Add Risk Factor" ) : tr( "Edit Risk Factor" ) );
  auto *layout = new QVBoxLayout( this );
  auto *form = new QFormLayout();
  layout->addLayout( form );

  mName = new QLineEdit( factor.name, this );
  mNameChosen = !factor.name.isEmpty();
  connect( mName, &QLineEdit::textEdited, this, [this] { mNameChosen = true; } );
  mName->setToolTip( tr( "Short name used in variable names and reports: letters, digits and _" ) );
  form->addRow( tr( "Name" ), mName );

  mLayer = new QComboBox( this );
  for ( const RtmLayerChoice &l : rtmLayerChoices( project ) )
    mLayer->addItem( l.label(), l.table );
  form->addRow( tr( "Layer" ), mLayer );

  mFilter = new QLineEdit( factor.filter, this );
  mFilter->setPlaceholderText( tr( "all features (an SQL condition, e.g. blight_class = 'dumping')" ) );
  form->addRow( tr( "Filter" ), mFilter );

  auto *helper = new QHBoxLayout();
  mColumn = new QComboBox( this );
  mValue = new QComboBox( this );
  mValue->setEditable( true );
  mValue->setMinimumContentsLength( 12 );
  auto *use = new QPushButton( tr( "Use" ), this );
  use->setToolTip( tr( "Filter on this column being this value" ) );
  helper->addWidget( mColumn );
  helper->addWidget( new QLabel( QStringLiteral( "=" ), this ) );
  helper->addWidget( mValue, 1 );
  helper->addWidget( use );
  form->addRow( tr( "Filter helper" ), helper );

  mCount = new QLabel( this );
  mCount->setWordWrap( true );
  form->addRow( QString(), mCount );

  mOperationalisation = new QComboBox( this );
  mOperationalisation->addItem( tr( "Proximity (distance to the nearest feature)" ), operationalisations()[0] );
  mOperationalisation->addItem( tr( "Density (kernel density above mean + 2 SD)" ), operationalisations()[1] );
  mOperationalisation->addItem( tr( "Both" ), operationalisations()[2] );
  mOperationalisation->setCurrentIndex( mOperationalisation->findData( rtm::operationalisationName( factor.operationalisation ) ) );
  form->addRow( tr( "Operationalisation" ), mOperationalisation );

  mInfluence = new QDoubleSpinBox( this );
  mInfluence->setRange( 0.5, 20 );
  mInfluence->setSingleStep( 0.5 );
  mInfluence->setDecimals( 1 );
  mInfluence->setSuffix( tr( " blocks" ) );
  mInfluence->setValue( factor.spatialInfluenceBlocks );
  form->addRow( tr( "Maximum spatial influence" ), mInfluence );

  mIncrement = new QComboBox( this );
  mIncrement->addItem( tr( "Whole blocks" ), static_cast<int>( rtm::Increment::Whole ) );
  mIncrement->addItem( tr( "Half blocks" ), static_cast<int>( rtm::Increment::Half ) );
  mIncrement->setCurrentIndex( factor.increment == rtm::Increment::Half ? 1 : 0 );
  form->addRow( tr( "Increment" ), mIncrement );

  auto *buttons = new QDialogButtonBox( QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this );
  connect( buttons, &QDialogButtonBox::accepted, this, &RiskFactorDialog::accept );
  connect( buttons, &QDialogButtonBox::rejected, this, &QDialog::reject );
  layout->addWidget( buttons );

  connect( mLayer, qOverload<int>( &QComboBox::currentIndexChanged ), this, &RiskFactorDialog::layerChanged );
  connect( mColumn, qOverload<int>( &QComboBox::currentIndexChanged ), this, &RiskFactorDialog::columnChanged );
  connect( use, &QPushButton::clicked, this, &RiskFactorDialog::useValue );
  connect( mFilter, &QLineEdit::editingFinished, this, &RiskFactorDialog::updateCount );

  const int layerIndex = mLayer->findData( factor.layer );
  mLayer->setCurrentIndex( layerIndex >= 0 ? layerIndex : 0 );
  layerChanged();
}

void RiskFactorDialog::layerChanged()
{
  mColumn->blockSignals( true );
  mColumn->clear();
  const QString table = mLayer->currentData().toString();
  if ( mProject && !table.isEmpty() )
  {
    SqliteStatement st( mProject->database(), QStringLiteral( "PRAGMA table_info(%1)" ).arg( quotedIdentifier( table ) ) );
    while ( st.next() )
    {
      const QString column = st.text( 1 ), type = st.text( 2 ).toUpper();
      if ( column != QLatin1String( "fid" ) && column != QLatin1String( "geom" ) && !type.contains( QLatin1String( "BLOB" ) ) )
        mColumn->addItem( column );
    }
  }
  mColumn->blockSignals( false );
  const int blight = mColumn->findText( QStringLiteral( "blight_class" ) );
  mColumn->setCurrentIndex( blight >= 0 ? blight : 0 );
  columnChanged();
  if ( !mNameChosen )
    mName->setText( table );
  updateCount();
}

void RiskFactorDialog::columnChanged()
{
  mValue->clear();
  const QString table = mLayer->currentData().toString(), column = mColumn->currentText();
  if ( !mProject || table.isEmpty() || column.isEmpty() )
    return;
  // The most frequent values first; a column of free text would be too long to list.
  SqliteStatement st( mProject->database(), QStringLiteral( "SELECT %1, COUNT(*) AS n FROM %2 WHERE %1 IS NOT NULL GROUP BY %1 ORDER BY n DESC LIMIT 200" )
                                                .arg( quotedIdentifier( column ), quotedIdentifier( table ) ) );
  while ( st.next() )
    mValue->addItem( tr( "%1 (%2)" ).arg( st.text( 0 ) ).arg( st.int64( 1 ) ), st.text( 0 ) );
}

void RiskFactorDialog::useValue()
{
  const QString column = mColumn->currentText();
  if ( column.isEmpty() )
    return;
  QString value = mValue->currentIndex() >= 0 && mValue->currentText() == mValue->itemText( mValue->currentIndex() ) ? mValue->currentData().toString() : mValue->currentText();
  mFilter->setText( QStringLiteral( "%1 = '%2'" ).arg( column, value.replace( '\'', QStringLiteral( "''" ) ) ) );
  static const QRegularExpression notName( QStringLiteral( "[^A-Za-z0-9_]+" ) );
  if ( !mNameChosen )
    mName->setText( QStringLiteral( "%1_%2" ).arg( QString( value ).replace( notName, QStringLiteral( "_" ) ), mLayer->currentData().toString() ) );
  updateCount();
}

void RiskFactorDialog::updateCount()
{
  const QString table = mLayer->currentData().toString();
  if ( !mProject || table.isEmpty() )
  {
    mCount->setText( tr( "The project has no layer to use." ) );
    return;
  }
  const QString filter = mFilter->text().trimmed();
  SqliteStatement st( mProject->database(), QStringLiteral( "SELECT COUNT(*) FROM %1 WHERE geom IS NOT NULL%2" )
                                                .arg( quotedIdentifier( table ), filter.isEmpty() ? QString() : QStringLiteral( " AND (%1)" ).arg( filter ) ) );
  if ( !st.isValid() || !st.next() )
  {
    mCount->setText( tr( "<span style='color:#b00'>The filter is not valid: %1</span>" ).arg( mProject->database().lastSqliteError().toHtmlEscaped() ) );
    return;
  }
  const qint64 n = st.int64( 0 );
  mCount->setText( n == 1 ? tr( "1 located feature selected." ) : tr( "%1 located features selected." ).arg( n ) );
}

rtm::RiskFactorSpec RiskFactorDialog::factor() const
{
  rtm::RiskFactorSpec f;
  f.name = mName->text().trimmed();
  f.layer = mLayer->currentData().toString();
  f.filter = mFilter->text().trimmed();
  rtm::parseOperationalisation( mOperationalisation->currentData().toString(), &f.operationalisation );
  f.spatialInfluenceBlocks = mInfluence->value();
  f.increment = static_cast<rtm::Increment>( mIncrement->currentData().toInt() );
  return f;
}

void RiskFactorDialog::accept()
{
  static const QRegularExpression nameRe( QStringLiteral( "^[A-Za-z0-9_]+$" ) );
  const rtm::RiskFactorSpec f = factor();
  QString problem;
  if ( !nameRe.match( f.name ).hasMatch() )
    problem = tr( "Name the factor with letters, digits and _ only." );
  else if ( mUsedNames.contains( f.name ) )
    problem = tr( "Another factor is already called %1." ).arg( f.name );
  else if ( f.layer.isEmpty() )
    problem = tr( "Choose a layer." );
  else
  {
    updateCount();
    SqliteStatement st( mProject->database(), QStringLiteral( "SELECT 1 FROM %1 WHERE %2 LIMIT 1" ).arg( quotedIdentifier( f.layer ), f.filter.isEmpty() ? QStringLiteral( "1" ) : QStringLiteral( "(%1)" ).arg( f.filter ) ) );
    if ( !st.isValid() )
      problem = tr( "The filter is not valid: %1" ).arg( mProject->database().lastSqliteError() );
  }
  if ( !problem.isEmpty() )
  {
    QMessageBox::warning( this, windowTitle(), problem );
    return;
  }
  QDialog::accept();
}

// ---------------------------------------------------------------------------------------------
// RiskFactorTable

RiskFactorTable::RiskFactorTable( QWidget *parent )
    : QTableWidget( 0, 6, parent )
{
  setHorizontalHeaderLabels( { tr( "Factor" ), tr( "Layer" ), tr( "Filter" ), tr( "Operationalisation" ), tr( "Spatial influence" ), tr( "Increment" ) } );
  setSelectionBehavior( QAbstractItemView::SelectRows );
  setSelectionMode( QAbstractItemView::ExtendedSelection );
  setEditTriggers( QAbstractItemView::NoEditTriggers );
  verticalHeader()->setVisible( false );
  horizontalHeader()->setSectionResizeMode( QHeaderView::ResizeToContents );
  horizontalHeader()->setStretchLastSection( true );
  setToolTip( tr( "Double-click a factor to edit it" ) );
  connect( this, &QTableWidget::cellDoubleClicked, this, &RiskFactorTable::editCurrent );
}

void RiskFactorTable::setFactors( const QList<rtm::RiskFactorSpec> &factors )
{
  mFactors = factors;
  refresh();
}

void RiskFactorTable::refresh()
{
  setRowCount( mFactors.size() );
  for ( int r = 0; r < mFactors.size(); ++r )
  {
    const rtm::RiskFactorSpec &f = mFactors[r];
    const QStringList cells{ f.name, f.layer, f.filter.isEmpty() ? tr( "(all)" ) : f.filter, rtm::operationalisationName( f.operationalisation ),
                             tr( "%1 blocks" ).arg( f.spatialInfluenceBlocks ), f.increment == rtm::Increment::Half ? tr( "half" ) : tr( "whole" ) };
    for ( int c = 0; c < cells.size(); ++c )
      setItem( r, c, new QTableWidgetItem( cells[c] ) );
  }
}

QStringList RiskFactorTable::namesExcept( int row ) const
{
  QStringList names;
  for ( int r = 0; r < mFactors.size(); ++r )
    if ( r != row )
      names << mFactors[r].name;
  return names;
}

void RiskFactorTable::addFactor()
{
  RiskFactorDialog dialog( mProject, rtm::RiskFactorSpec(), namesExcept( -1 ), this );
  if ( dialog.exec() != QDialog::Accepted )
    return;
  mFactors << dialog.factor();
  refresh();
  selectRow( mFactors.size() - 1 );
}

void RiskFactorTable::editCurrent()
{
  const int row = currentRow();
  if ( row < 0 || row >= mFactors.size() )
    return;
  RiskFactorDialog dialog( mProject, mFactors[row], namesExcept( row ), this );
  if ( dialog.exec() != QDialog::Accepted )
    return;
  mFactors[row] = dialog.factor();
  refresh();
  selectRow( row );
}

void RiskFactorTable::removeSelected()
{
  QList<int> rows;
  for ( const QModelIndex &i : selectionModel()->selectedRows() )
    rows << i.row();
  std::sort( rows.begin(), rows.end(), std::greater<int>() );
  for ( int r : rows )
    mFactors.removeAt( r );
  refresh();
}

} // namespace statdesk
