#include "NewProjectDialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

#include <qgsprojectionselectionwidget.h>
#include <qgsunittypes.h>

namespace statdesk
{

NewProjectDialog::NewProjectDialog( QWidget *parent )
  : QDialog( parent )
{
  setWindowTitle( tr( "New Project" ) );
  auto *layout = new QVBoxLayout( this );
  auto *form = new QFormLayout();
  mCityName = new QLineEdit( this );
  mCityName->setPlaceholderText( tr( "e.g. Kansas City" ) );
  form->addRow( tr( "City name:" ), mCityName );

  mCrs = new QgsProjectionSelectionWidget( this );
  mCrs->setCrs( QgsCoordinateReferenceSystem( QStringLiteral( "EPSG:26915" ) ) );
  mCrs->setOptionVisible( QgsProjectionSelectionWidget::CrsNotSet, false );
  mCrs->setToolTip( tr( "A projected CRS in metres or feet for the city, e.g. UTM zone 15N (EPSG:26915) or a State Plane zone." ) );
  form->addRow( tr( "Projected CRS:" ), mCrs );

  auto *pathRow = new QHBoxLayout();
  mPath = new QLineEdit( this );
  auto *browse = new QPushButton( tr( "Browse…" ), this );
  pathRow->addWidget( mPath, 1 );
  pathRow->addWidget( browse );
  form->addRow( tr( "Project file:" ), pathRow );
  layout->addLayout( form );

  mMessage = new QLabel( this );
  mMessage->setWordWrap( true );
  mMessage->setStyleSheet( QStringLiteral( "color: #b00020" ) );
  layout->addWidget( mMessage );

  auto *buttons = new QDialogButtonBox( QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this );
  buttons->button( QDialogButtonBox::Ok )->setText( tr( "Create" ) );
  layout->addWidget( buttons );

  connect( browse, &QPushButton::clicked, this, &NewProjectDialog::browse );
  connect( buttons, &QDialogButtonBox::accepted, this, &NewProjectDialog::accept );
  connect( buttons, &QDialogButtonBox::rejected, this, &NewProjectDialog::reject );
  connect( mCrs, &QgsProjectionSelectionWidget::crsChanged, this, [this]( const QgsCoordinateReferenceSystem &crs ) { mMessage->setText( crsProblem( crs ) ); } );
  resize( 560, sizeHint().height() );
}

void NewProjectDialog::browse()
{
  const QString start = mPath->text().isEmpty() ? QDir::homePath() : mPath->text();
  QString path = QFileDialog::getSaveFileName( this, tr( "New Project File" ), start, tr( "StatDesk projects (*.gpkg)" ) );
  if ( path.isEmpty() )
    return;
  if ( !path.endsWith( QLatin1String( ".gpkg" ), Qt::CaseInsensitive ) )
    path += QLatin1String( ".gpkg" );
  mPath->setText( path );
}

QString NewProjectDialog::crsProblem( const QgsCoordinateReferenceSystem &crs )
{
  if ( !crs.isValid() )
    return tr( "Choose a coordinate reference system." );
  if ( crs.isGeographic() )
    return tr( "%1 is geographic (degrees). Distances, grids and densities need a projected CRS in metres or feet: "
               "choose the city's UTM zone or State Plane zone." )
      .arg( crs.userFriendlyIdentifier() );
  const QgsUnitTypes::DistanceUnit units = crs.mapUnits();
  if ( units != QgsUnitTypes::DistanceMeters && units != QgsUnitTypes::DistanceFeet )
    return tr( "%1 is in %2; StatDesk needs a CRS in metres or feet." ).arg( crs.userFriendlyIdentifier(), QgsUnitTypes::toString( units ) );
  return QString();
}

ProjectSettings NewProjectDialog::settings() const
{
  ProjectSettings s;
  s.cityName = mCityName->text().trimmed();
  s.crs = mCrs->crs();
  return s;
}

QString NewProjectDialog::filePath() const
{
  QString path = mPath->text().trimmed();
  if ( !path.isEmpty() && !path.endsWith( QLatin1String( ".gpkg" ), Qt::CaseInsensitive ) )
    path += QLatin1String( ".gpkg" );
  return path.isEmpty() ? path : QFileInfo( path ).absoluteFilePath();
}

void NewProjectDialog::accept()
{
  QString problem;
  if ( mCityName->text().trimmed().isEmpty() )
    problem = tr( "Enter the city name." );
  else if ( !( problem = crsProblem( mCrs->crs() ) ).isEmpty() )
    ;
  else if ( filePath().isEmpty() )
    problem = tr( "Choose where to save the project file." );
  else if ( QFileInfo::exists( filePath() ) )
    problem = tr( "%1 already exists. Choose another name (an existing project is opened with File ▸ Open)." ).arg( filePath() );
  else if ( !QFileInfo( QFileInfo( filePath() ).absolutePath() ).isWritable() )
    problem = tr( "The folder %1 is not writable." ).arg( QFileInfo( filePath() ).absolutePath() );
  mMessage->setText( problem );
  if ( problem.isEmpty() )
    QDialog::accept();
}

} // namespace statdesk
