// PDF briefings: what a reader of the PDF would check — pages, text, figures against SQL,
// the public version's privacy, size, embedded fonts, non-blank pages.
#include "TestSupport.h"

#include "briefing/Briefing.h"
#include "common/GpkgGeometry.h"
#include "common/Sqlite.h"
#include "demo/DemoCity.h"

#include <QImage>
#include <QRegularExpression>

#include <qgsfeature.h>
#include <qgsfeatureiterator.h>
#include <qgsfeaturerequest.h>
#include <qgsgeometry.h>
#include <qgsvectorlayer.h>

using namespace statdesk;

Q_DECLARE_METATYPE( statdesk::BriefingPageSize )
Q_DECLARE_METATYPE( statdesk::BriefingOrientation )

namespace
{
bool havePoppler()
{
  for ( const char *tool : { "pdftotext", "pdfinfo", "pdffonts", "pdfimages", "pdftoppm" } )
    if ( QStandardPaths::findExecutable( QString::fromLatin1( tool ) ).isEmpty() )
      return false;
  return true;
}

QString pdfText( const QString &pdf, int page = 0 )
{
  QStringList args;
  if ( page > 0 )
    args << QStringLiteral( "-f" ) << QString::number( page ) << QStringLiteral( "-l" ) << QString::number( page );
  args << pdf << QStringLiteral( "-" );
  return QString::fromUtf8( test::run( QStringLiteral( "pdftotext" ), args ).out );
}

//! Text with all whitespace runs collapsed (label line breaks do not matter) and typographic
//! ligatures that pdftotext reports (U+FB01 "fi", U+FB00 "ff") decomposed.
QString flat( const QString &text )
{
  return text.normalized( QString::NormalizationForm_KC ).simplified();
}

int pdfPages( const QString &pdf, QString *pageSize = nullptr )
{
  const QString info = QString::fromUtf8( test::run( QStringLiteral( "pdfinfo" ), { pdf } ).out );
  const QRegularExpressionMatch m = QRegularExpression( QStringLiteral( "Pages:\\s+(\\d+)" ) ).match( info );
  const QRegularExpressionMatch s = QRegularExpression( QStringLiteral( "Page size:\\s+([^\\n]+)" ) ).match( info );
  if ( pageSize )
    *pageSize = s.captured( 1 );
  return m.hasMatch() ? m.captured( 1 ).toInt() : -1;
}

qint64 sqlCount( SqliteDatabase &db, const QString &sql )
{
  return db.scalar( sql ).toLongLong();
}

//! Rows of `pdfimages -list` (image sizes), header lines skipped.
QList<QSize> pdfImages( const QString &pdf )
{
  QList<QSize> sizes;
  const QStringList lines = QString::fromUtf8( test::run( QStringLiteral( "pdfimages" ), { QStringLiteral( "-list" ), pdf } ).out ).split( QLatin1Char( '\n' ) );
  for ( int i = 2; i < lines.size(); ++i )
  {
    const QStringList cols = lines.at( i ).split( QLatin1Char( ' ' ), Qt::SkipEmptyParts );
    if ( cols.size() > 4 && cols.at( 2 ) == QLatin1String( "image" ) )
      sizes << QSize( cols.at( 3 ).toInt(), cols.at( 4 ).toInt() );
  }
  return sizes;
}

//! Fraction of non-white pixels of every page rendered by pdftoppm at 30 dpi.
QVector<double> inkPerPage( const QString &pdf, const QString &dir )
{
  const QString prefix = QDir( dir ).filePath( QFileInfo( pdf ).completeBaseName() );
  test::run( QStringLiteral( "pdftoppm" ), { QStringLiteral( "-r" ), QStringLiteral( "30" ), QStringLiteral( "-png" ), pdf, prefix } );
  QVector<double> ink;
  QStringList pngs = QDir( dir ).entryList( { QFileInfo( pdf ).completeBaseName() + QStringLiteral( "-*.png" ) }, QDir::Files, QDir::Name );
  for ( const QString &png : std::as_const( pngs ) )
  {
    const QImage image( QDir( dir ).filePath( png ) );
    qint64 dark = 0;
    for ( int y = 0; y < image.height(); ++y )
      for ( int x = 0; x < image.width(); ++x )
        if ( qGray( image.pixel( x, y ) ) < 235 )
          ++dark;
    ink << ( image.isNull() ? 0.0 : static_cast<double>( dark ) / ( image.width() * image.height() ) );
  }
  return ink;
}

//! A clustering result as the clustering module would hand it over: two cluster polygons with cards.
class FakeClusterSection : public BriefingSection
{
  public:
    QString id() const override { return QStringLiteral( "clusters" ); }
    std::unique_ptr<QgsVectorLayer> clusterSheets( const BriefingContext &context ) override
    {
      auto layer = std::make_unique<QgsVectorLayer>( QStringLiteral( "Polygon?crs=%1&field=cluster_label:string&field=card:string" ).arg( context.crsAuthId ),
                                                     QStringLiteral( "Clusters" ), QStringLiteral( "memory" ) );
      const QgsRectangle box( context.database->scalar( QStringLiteral( "SELECT min(minx) FROM rtree_neighborhoods_geom" ) ).toDouble(),
                              context.database->scalar( QStringLiteral( "SELECT min(miny) FROM rtree_neighborhoods_geom" ) ).toDouble(),
                              context.database->scalar( QStringLiteral( "SELECT max(maxx) FROM rtree_neighborhoods_geom" ) ).toDouble(),
                              context.database->scalar( QStringLiteral( "SELECT max(maxy) FROM rtree_neighborhoods_geom" ) ).toDouble() );
      QgsFeatureList features;
      for ( int i = 0; i < 2; ++i )
      {
        QgsFeature f( layer->fields() );
        const QgsPointXY c( box.xMinimum() + box.width() * ( 0.3 + 0.4 * i ), box.center().y() );
        f.setGeometry( QgsGeometry::fromPointXY( c ).buffer( 400, 12 ) );
        f.setAttributes( QgsAttributes() << QVariant( QStringLiteral( "C%1" ).arg( i + 1 ) ) << QVariant( QStringLiteral( "Cluster card C%1\nIncidents: %2" ).arg( i + 1 ).arg( 10 + i ) ) );
        features << f;
      }
      layer->dataProvider()->addFeatures( features );
      layer->updateExtents();
      return layer;
    }
};
} // namespace

class TestBriefing : public QObject
{
    Q_OBJECT

  private slots:
    void initTestCase();
    void citywide_data();
    void citywide();
    void publicCitywide();
    void neighborhoodAtlas_data();
    void neighborhoodAtlas();
    void clusters();
    void cliRefusals();

  private:
    QTemporaryDir mDir;
    QString mProject;
    bool mPoppler = false;
    QDate mFrom { 2025, 11, 1 };
    QDate mTo { 2025, 11, 30 };
};

void TestBriefing::initTestCase()
{
  QVERIFY( mDir.isValid() );
  mProject = mDir.filePath( QStringLiteral( "demo.gpkg" ) );
  DemoOptions options;
  options.seed = 11;
  options.size = DemoOptions::Size::Small;
  QString error;
  QVERIFY2( generateDemoCity( mProject, options, nullptr, &error ), qPrintable( error ) );
  mPoppler = havePoppler();
}

void TestBriefing::citywide_data()
{
  QTest::addColumn<BriefingPageSize>( "size" );
  QTest::addColumn<BriefingOrientation>( "orientation" );
  QTest::addColumn<QString>( "pageSizeText" );
  QTest::newRow( "letter landscape" ) << BriefingPageSize::Letter << BriefingOrientation::Landscape << QStringLiteral( "792 x 612" );
  QTest::newRow( "a4 portrait" ) << BriefingPageSize::A4 << BriefingOrientation::Portrait << QStringLiteral( "595" );
}

void TestBriefing::citywide()
{
  QFETCH( BriefingPageSize, size );
  QFETCH( BriefingOrientation, orientation );
  QFETCH( QString, pageSizeText );
  BriefingOptions options;
  options.from = mFrom;
  options.to = mTo;
  options.pageSize = size;
  options.orientation = orientation;
  const QString pdf = mDir.filePath( QStringLiteral( "citywide_%1.pdf" ).arg( QTest::currentDataTag() ).replace( QLatin1Char( ' ' ), QLatin1Char( '_' ) ) );
  BriefingExporter exporter( mProject );
  const BriefingResult r = exporter.exportPdf( options, pdf );
  QVERIFY2( r.ok, qPrintable( r.error ) );
  QCOMPARE( r.pages, 1 );
  QVERIFY( QFileInfo( pdf ).size() > 10000 );
  QVERIFY2( QFileInfo( pdf ).size() < 5 * 1024 * 1024, qPrintable( QString::number( QFileInfo( pdf ).size() ) ) );

  // Figures against SQL written here, not the briefing's own queries.
  SqliteDatabase db;
  QVERIFY( db.open( mProject, true ) );
  const qint64 violent = sqlCount( db, QStringLiteral( "SELECT count(*) FROM incidents WHERE violent = 1 AND substr(occurred_at, 1, 10) BETWEEN '2025-11-01' AND '2025-11-30'" ) );
  const qint64 before = sqlCount( db, QStringLiteral( "SELECT count(*) FROM incidents WHERE violent = 1 AND substr(occurred_at, 1, 10) BETWEEN '2025-10-01' AND '2025-10-31'" ) );
  const qint64 openBlight = sqlCount( db, QStringLiteral( "SELECT count(*) FROM service_requests WHERE blight_class IS NOT NULL AND status = 'open'" ) );
  QVERIFY( violent > 20 );
  QCOMPARE( r.figures.violent, violent );
  QCOMPARE( r.figures.violentPrevious, before );
  QCOMPARE( r.figures.openBlight, openBlight );
  QCOMPARE( r.period.previousFrom, QDate( 2025, 10, 1 ) ); // November against October
  QVERIFY( r.mapLayers.contains( QStringLiteral( "incidents" ) ) );
  QVERIFY( r.rasterisedLayers.contains( QStringLiteral( "incidents" ) ) );

  if ( !mPoppler )
    QSKIP( "poppler-utils (pdftotext, pdfinfo, pdffonts, pdfimages, pdftoppm) not installed" );
  QString pageSize;
  QCOMPARE( pdfPages( pdf, &pageSize ), 1 );
  QVERIFY2( pageSize.contains( pageSizeText ), qPrintable( pageSize ) );
  if ( orientation == BriefingOrientation::Portrait )
    QVERIFY2( pageSize.startsWith( QLatin1String( "595" ) ), qPrintable( pageSize ) );

  const QString text = flat( pdfText( pdf ) );
  QVERIFY2( text.contains( QStringLiteral( "Demo City: citywide briefing" ) ), qPrintable( text.left( 400 ) ) );
  QVERIFY( text.contains( QStringLiteral( "2025-11-01 – 2025-11-30" ) ) );
  QVERIFY2( text.contains( QStringLiteral( "Violent offenses: %1 (previous period %2, %3)" ).arg( QLocale().toString( violent ), QLocale().toString( before ), BriefingFigures::percentText( violent, before ) ) ),
            qPrintable( text ) );
  QVERIFY( text.contains( QStringLiteral( "Open blight 311 requests: %1" ).arg( QLocale().toString( openBlight ) ) ) );
  QVERIFY( text.contains( QStringLiteral( "RESTRICTED" ) ) );
  const QString latest = db.scalar( QStringLiteral( "SELECT substr(max(occurred_at), 1, 10) FROM incidents" ) ).toString();
  QVERIFY2( text.contains( QStringLiteral( "Data currency: crime to %1" ).arg( latest ) ), qPrintable( latest ) );
  QVERIFY( text.contains( QStringLiteral( "no RTM run saved" ) ) );
  QVERIFY( !text.contains( QStringLiteral( "[%" ) ) ); // every expression was evaluated

  // Fonts embedded; the map is one raster image (points rasterised), the charts two more.
  const QStringList fontLines = QString::fromUtf8( test::run( QStringLiteral( "pdffonts" ), { pdf } ).out ).split( QLatin1Char( '\n' ) ).mid( 2 );
  int fonts = 0;
  for ( const QString &line : fontLines )
  {
    if ( line.trimmed().isEmpty() )
      continue;
    ++fonts;
    const QStringList cols = line.split( QLatin1Char( ' ' ), Qt::SkipEmptyParts );
    QVERIFY2( cols.size() > 5 && cols.at( cols.size() - 5 ) == QLatin1String( "yes" ), qPrintable( line ) );
  }
  QVERIFY( fonts > 0 );
  const QList<QSize> images = pdfImages( pdf );
  QVERIFY2( images.size() >= 3, qPrintable( QString::number( images.size() ) ) );
  const QVector<double> ink = inkPerPage( pdf, mDir.path() );
  QCOMPARE( ink.size(), 1 );
  QVERIFY2( ink.at( 0 ) > 0.05, qPrintable( QString::number( ink.at( 0 ) ) ) );
}

void TestBriefing::publicCitywide()
{
  // A whole year, so that some hexagons of the small demo reach the threshold.
  BriefingOptions options;
  options.from = QDate( 2025, 1, 1 );
  options.to = mTo;
  options.publicMode = true;
  const QString pdf = mDir.filePath( QStringLiteral( "citywide_public.pdf" ) );
  BriefingExporter exporter( mProject );
  const BriefingResult r = exporter.exportPdf( options, pdf );
  QVERIFY2( r.ok, qPrintable( r.error ) );

  // The map draws hexagons, never an incident or 311 layer, and rasterises nothing.
  QVERIFY( r.mapLayers.contains( kHexagonLayerTable ) );
  QVERIFY( !r.mapLayers.contains( QStringLiteral( "incidents" ) ) );
  QVERIFY( !r.mapLayers.contains( QStringLiteral( "service_requests" ) ) );
  QVERIFY( r.rasterisedLayers.isEmpty() );
  SqliteDatabase db;
  QVERIFY( db.open( mProject, true ) );
  const QString where = QStringLiteral( "violent = 1 AND geom IS NOT NULL AND substr(occurred_at, 1, 10) BETWEEN '2025-01-01' AND '2025-11-30'" );
  QCOMPARE( r.hexagons.offenses, sqlCount( db, QStringLiteral( "SELECT count(*) FROM incidents WHERE " ) + where ) );
  QCOMPARE( r.hexagons.offensesShown + r.hexagons.offensesSuppressed, r.hexagons.offenses );
  QVERIFY( r.hexagons.cellsShown > 0 );
  QVERIFY( r.hexagons.cellsSuppressed > 0 );                                   // the small demo has sparse cells
  QVERIFY( r.hexagons.offensesShown >= static_cast<qint64>( r.hexagons.cellsShown ) * 5 ); // each shown cell has >= 5

  if ( !mPoppler )
    QSKIP( "poppler-utils not installed" );
  const QString text = flat( pdfText( pdf ) );
  QVERIFY( text.contains( QStringLiteral( "PUBLIC VERSION" ) ) );
  QVERIFY( text.contains( QStringLiteral( "hexagons with fewer than 5 offenses are not shown" ) ) );
  QVERIFY( !text.contains( QStringLiteral( "RESTRICTED" ) ) );
  // No coordinate and no address of any offense of the period appears in the text.
  SqliteStatement st( db, QStringLiteral( "SELECT geom, address FROM incidents WHERE " ) + where );
  int checked = 0;
  while ( st.next() )
  {
    const QgsGeometry g = geometryFromGpkgBlob( st.blob( 0 ) );
    const QgsPointXY p = g.asPoint();
    for ( const double v : { p.x(), p.y() } )
      QVERIFY2( !text.contains( QString::number( static_cast<qint64>( v ) ) ), qPrintable( QString::number( v, 'f', 1 ) ) );
    const QString address = st.text( 1 );
    if ( address.size() > 6 )
      QVERIFY2( !text.contains( address ), qPrintable( address ) );
    ++checked;
  }
  QVERIFY( checked > 20 );
  // Only the two chart images: no rendered picture of points anywhere on the page.
  QCOMPARE( pdfImages( pdf ).size(), 2 );
  const QVector<double> ink = inkPerPage( pdf, mDir.path() );
  QCOMPARE( ink.size(), 1 );
  QVERIFY( ink.at( 0 ) > 0.05 );
}

void TestBriefing::neighborhoodAtlas_data()
{
  QTest::addColumn<bool>( "publicMode" );
  QTest::newRow( "restricted" ) << false;
  QTest::newRow( "public" ) << true;
}

void TestBriefing::neighborhoodAtlas()
{
  QFETCH( bool, publicMode );
  BriefingOptions options;
  options.kind = BriefingTemplate::Neighborhoods;
  options.from = mFrom;
  options.to = mTo;
  options.publicMode = publicMode;
  const QString pdf = mDir.filePath( QStringLiteral( "atlas_%1.pdf" ).arg( publicMode ? QStringLiteral( "public" ) : QStringLiteral( "restricted" ) ) );
  BriefingExporter exporter( mProject );
  const BriefingResult r = exporter.exportPdf( options, pdf );
  QVERIFY2( r.ok, qPrintable( r.error ) );
  SqliteDatabase db;
  QVERIFY( db.open( mProject, true ) );
  const qint64 grants = sqlCount( db, QStringLiteral( "SELECT count(*) FROM neighborhoods WHERE is_grant = 1" ) );
  QVERIFY( grants > 1 );
  QCOMPARE( r.pages, static_cast<int>( grants ) );
  QCOMPARE( r.neighborhoods.size(), static_cast<int>( grants ) );
  QCOMPARE( r.mapLayers.contains( QStringLiteral( "incidents" ) ), !publicMode );

  // One neighborhood's before/after count, recomputed through OGR and GEOS.
  const NeighborhoodFigures &n = r.neighborhoods.first();
  QgsVectorLayer nbh( QStringLiteral( "%1|layername=neighborhoods" ).arg( mProject ), QStringLiteral( "n" ), QStringLiteral( "ogr" ) );
  QgsVectorLayer inc( QStringLiteral( "%1|layername=incidents" ).arg( mProject ), QStringLiteral( "i" ), QStringLiteral( "ogr" ) );
  QgsFeature nf;
  QVERIFY( nbh.getFeatures( QgsFeatureRequest().setFilterExpression( QStringLiteral( "\"nbh_id\" = '%1'" ).arg( n.nbhId ) ) ).nextFeature( nf ) );
  qint64 inside = 0;
  QgsFeatureIterator it = inc.getFeatures( QgsFeatureRequest()
                                             .setFilterRect( nf.geometry().boundingBox() )
                                             .setFilterExpression( QStringLiteral( "\"violent\" = 1 AND left(\"occurred_at\", 10) >= '2025-11-01' AND left(\"occurred_at\", 10) <= '2025-11-30'" ) ) );
  QgsFeature f;
  while ( it.nextFeature( f ) )
    if ( nf.geometry().intersects( f.geometry() ) )
      ++inside;
  QCOMPARE( n.violent, inside );

  if ( !mPoppler )
    QSKIP( "poppler-utils not installed" );
  QCOMPARE( pdfPages( pdf ), static_cast<int>( grants ) );
  for ( int page = 1; page <= r.pages; ++page )
  {
    const QString text = flat( pdfText( pdf, page ) );
    const NeighborhoodFigures &fig = r.neighborhoods.at( page - 1 );
    QVERIFY2( text.contains( QStringLiteral( "Demo City: %1" ).arg( fig.name ) ), qPrintable( text.left( 300 ) ) );
    QVERIFY( text.contains( QStringLiteral( "page %1 of %2" ).arg( page ).arg( grants ) ) );
    QVERIFY( text.contains( publicMode ? QStringLiteral( "PUBLIC VERSION" ) : QStringLiteral( "RESTRICTED" ) ) );
    QVERIFY( text.contains( QStringLiteral( "Before / after" ) ) );
    QVERIFY( !text.contains( QStringLiteral( "[%" ) ) );
    if ( !publicMode || fig.violent >= 5 || fig.violent == 0 )
      QVERIFY2( text.contains( QStringLiteral( "→ %1 (" ).arg( fig.violent ) ), qPrintable( text ) );
    else
      QVERIFY( text.contains( QStringLiteral( "fewer than 5" ) ) );
  }
  QVERIFY( QFileInfo( pdf ).size() < 5 * 1024 * 1024 * grants );
  const QVector<double> ink = inkPerPage( pdf, mDir.path() );
  QCOMPARE( ink.size(), static_cast<int>( grants ) );
  for ( double v : ink )
    QVERIFY( v > 0.05 );
}

void TestBriefing::clusters()
{
  BriefingOptions options;
  options.kind = BriefingTemplate::Clusters;
  const QString pdf = mDir.filePath( QStringLiteral( "clusters.pdf" ) );
  {
    BriefingExporter exporter( mProject );
    const BriefingResult r = exporter.exportPdf( options, pdf );
    QVERIFY( !r.ok );
    QCOMPARE( r.error, QStringLiteral( "no clusters in this project: run clustering first" ) );
    QVERIFY( !QFile::exists( pdf ) );
  }
  BriefingExporter exporter( mProject );
  exporter.addSection( std::make_unique<FakeClusterSection>() );
  const BriefingResult r = exporter.exportPdf( options, pdf );
  QVERIFY2( r.ok, qPrintable( r.error ) );
  QCOMPARE( r.pages, 2 );
  QVERIFY( r.sections.contains( QStringLiteral( "clusters" ) ) );
  if ( !mPoppler )
    QSKIP( "poppler-utils not installed" );
  QCOMPARE( pdfPages( pdf ), 2 );
  QVERIFY( flat( pdfText( pdf, 2 ) ).contains( QStringLiteral( "Cluster card C2 Incidents: 11" ) ) );
}

void TestBriefing::cliRefusals()
{
  const QString out = mDir.filePath( QStringLiteral( "cli.pdf" ) );
  const QStringList base { QStringLiteral( "briefing" ), QStringLiteral( "--project" ), mProject, QStringLiteral( "--out" ), out };
  test::ProcessResult r = test::cli( base + QStringList { QStringLiteral( "--template" ), QStringLiteral( "weekly" ) } );
  QCOMPARE( r.exitCode, 2 );
  QVERIFY( r.err.contains( "--template" ) );
  r = test::cli( base + QStringList { QStringLiteral( "--template" ), QStringLiteral( "citywide" ), QStringLiteral( "--from" ), QStringLiteral( "2025-12-01" ), QStringLiteral( "--to" ), QStringLiteral( "2025-11-01" ) } );
  QCOMPARE( r.exitCode, 2 );
  r = test::cli( base + QStringList { QStringLiteral( "--template" ), QStringLiteral( "citywide" ), QStringLiteral( "--page" ), QStringLiteral( "legal" ) } );
  QCOMPARE( r.exitCode, 2 );
  r = test::cli( { QStringLiteral( "briefing" ), QStringLiteral( "--project" ), mDir.filePath( QStringLiteral( "missing.gpkg" ) ), QStringLiteral( "--out" ), out, QStringLiteral( "--template" ), QStringLiteral( "citywide" ) } );
  QCOMPARE( r.exitCode, 2 );
  r = test::cli( base + QStringList { QStringLiteral( "--template" ), QStringLiteral( "clusters" ) } );
  QCOMPARE( r.exitCode, 1 );
  QVERIFY( r.err.contains( "no clusters in this project: run clustering first" ) );
  QVERIFY( !QFile::exists( out ) );
  r = test::cli( base + QStringList { QStringLiteral( "--template" ), QStringLiteral( "citywide" ), QStringLiteral( "--public" ), QStringLiteral( "--json" ) } );
  QCOMPARE( r.exitCode, 0 );
  const QJsonObject json = QJsonDocument::fromJson( r.out ).object();
  QCOMPARE( json.value( QStringLiteral( "pages" ) ).toInt(), 1 );
  QVERIFY( json.value( QStringLiteral( "figures" ) ).toObject().contains( QStringLiteral( "violent" ) ) );
  QVERIFY( QFile::exists( out ) );
}

STATDESK_QGIS_TEST_MAIN( TestBriefing )
#include "test_briefing.moc"
