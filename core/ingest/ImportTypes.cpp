#include "ImportTypes.h"
#include "CityLayout.h"
#include "project/Schema.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QRegularExpression>

namespace statdesk::ingest
{

namespace
{
struct KindEntry
{
    ImportKind kind;
    const char *name;
};
const KindEntry kKinds[] = {
    { ImportKind::Crime, "crime" },
    { ImportKind::ServiceRequests, "311" },
    { ImportKind::Vacant, "vacant" },
    { ImportKind::Dangerous, "dangerous" },
    { ImportKind::Neighborhoods, "neighborhoods" },
    { ImportKind::Boundary, "boundary" },
};
} // namespace

QString kindName( ImportKind kind )
{
  for ( const KindEntry &e : kKinds )
    if ( e.kind == kind )
      return QString::fromLatin1( e.name );
  return QString();
}

bool kindFromName( const QString &name, ImportKind *kind )
{
  const QString n = name.trimmed().toLower();
  for ( const KindEntry &e : kKinds )
  {
    if ( n == QLatin1String( e.name ) )
    {
      *kind = e.kind;
      return true;
    }
  }
  return false;
}

QStringList kindNames()
{
  QStringList out;
  for ( const KindEntry &e : kKinds )
    out << QString::fromLatin1( e.name );
  return out;
}

QString sourceName( const ImportOptions &options )
{
  if ( !options.sourceName.isEmpty() )
    return options.sourceName;
  const QString file = QFileInfo( options.filePath ).fileName();
  return options.layerName.isEmpty() ? file : file + QLatin1Char( '|' ) + options.layerName;
}

QString targetTable( ImportKind kind )
{
  switch ( kind )
  {
    case ImportKind::Crime:
      return schema::kIncidents;
    case ImportKind::ServiceRequests:
      return schema::kServiceRequests;
    case ImportKind::Vacant:
      return schema::kVacantParcels;
    case ImportKind::Dangerous:
      return schema::kDangerousBuildings;
    case ImportKind::Neighborhoods:
      return schema::kNeighborhoods;
    case ImportKind::Boundary:
      return schema::kBoundaries;
  }
  return QString();
}

bool isPolygonKind( ImportKind kind )
{
  return kind == ImportKind::Neighborhoods || kind == ImportKind::Boundary;
}

QJsonObject ImportSummary::toJson() const
{
  auto mapToJson = []( const QMap<QString, qint64> &m )
  {
    QJsonObject o;
    for ( auto it = m.constBegin(); it != m.constEnd(); ++it )
      o.insert( it.key(), static_cast<double>( it.value() ) );
    return o;
  };
  QJsonObject o {
    { QStringLiteral( "ok" ), ok },
    { QStringLiteral( "canceled" ), canceled },
    { QStringLiteral( "import_id" ), importId },
    { QStringLiteral( "kind" ), kind },
    { QStringLiteral( "layout" ), layoutId },
    { QStringLiteral( "layout_title" ), layoutTitle },
    { QStringLiteral( "provider" ), provider },
    { QStringLiteral( "source_file" ), sourceFile },
    { QStringLiteral( "rows_read" ), static_cast<double>( rowsRead ) },
    { QStringLiteral( "imported" ), static_cast<double>( imported ) },
    { QStringLiteral( "updated" ), static_cast<double>( updated ) },
    { QStringLiteral( "unchanged" ), static_cast<double>( unchanged ) },
    { QStringLiteral( "merged" ), static_cast<double>( merged ) },
    { QStringLiteral( "rejected" ), static_cast<double>( rejected ) },
    { QStringLiteral( "rejected_by_reason" ), mapToJson( rejectedByReason ) },
    { QStringLiteral( "without_location" ), static_cast<double>( withoutLocation ) },
    { QStringLiteral( "location_flags" ), mapToJson( locationFlags ) },
    { QStringLiteral( "person_rows" ), static_cast<double>( personRows ) },
    { QStringLiteral( "latin1_rows" ), static_cast<double>( latin1Rows ) },
    { QStringLiteral( "repaired_geometries" ), static_cast<double>( repaired ) },
    { QStringLiteral( "notes" ), QJsonArray::fromStringList( notes ) },
    { QStringLiteral( "seconds" ), seconds },
  };
  if ( !error.isEmpty() )
    o.insert( QStringLiteral( "error" ), error );
  return o;
}

QString ImportSummary::toText() const
{
  QStringList lines;
  if ( !ok )
    lines << ( canceled ? QObject::tr( "Import canceled; the project is unchanged." ) : QObject::tr( "Import failed: %1" ).arg( error ) );
  if ( !layoutTitle.isEmpty() )
    lines << QObject::tr( "Layout: %1 (%2)" ).arg( layoutTitle, layoutId );
  lines << QObject::tr( "Rows read: %1" ).arg( rowsRead );
  lines << QObject::tr( "Imported: %1, updated: %2, unchanged: %3, merged into an existing record: %4" ).arg( imported ).arg( updated ).arg( unchanged ).arg( merged );
  QStringList reasons;
  for ( auto it = rejectedByReason.constBegin(); it != rejectedByReason.constEnd(); ++it )
    reasons << QStringLiteral( "%1 %2" ).arg( it.key() ).arg( it.value() );
  lines << QObject::tr( "Rejected: %1%2" ).arg( rejected ).arg( reasons.isEmpty() ? QString() : QStringLiteral( " (%1)" ).arg( reasons.join( QLatin1String( ", " ) ) ) );
  QStringList flags;
  for ( auto it = locationFlags.constBegin(); it != locationFlags.constEnd(); ++it )
    if ( it.key() != QLatin1String( "ok" ) )
      flags << QStringLiteral( "%1 %2" ).arg( it.key() ).arg( it.value() );
  lines << QObject::tr( "Without location: %1%2" ).arg( withoutLocation ).arg( flags.isEmpty() ? QString() : QStringLiteral( " (%1)" ).arg( flags.join( QLatin1String( ", " ) ) ) );
  if ( personRows )
    lines << QObject::tr( "Person rows (restricted table): %1" ).arg( personRows );
  if ( latin1Rows )
    lines << QObject::tr( "Rows read as Latin-1 (not UTF-8): %1" ).arg( latin1Rows );
  if ( repaired )
    lines << QObject::tr( "Polygons repaired: %1" ).arg( repaired );
  for ( const QString &n : notes )
    lines << n;
  return lines.join( QLatin1Char( '\n' ) );
}

CityLayoutProvider::~CityLayoutProvider() = default;

const QStringList &blightClasses()
{
  static const QStringList sClasses { QStringLiteral( "vacant_structure" ), QStringLiteral( "dangerous_building" ), QStringLiteral( "dumping" ),
                                      QStringLiteral( "trash" ),            QStringLiteral( "weeds" ),              QStringLiteral( "rats" ),
                                      QStringLiteral( "nuisance" ),         QStringLiteral( "streetlight" ) };
  return sClasses;
}

QString normaliseColumnName( const QString &name )
{
  QString out;
  out.reserve( name.size() );
  bool pendingSep = false;
  for ( const QChar c : name.trimmed() )
  {
    if ( c == QChar( 0xFEFF ) )
      continue;
    if ( c.isLetterOrNumber() || c == QLatin1Char( '_' ) )
    {
      if ( pendingSep && !out.isEmpty() )
        out += QLatin1Char( '_' );
      pendingSep = false;
      out += c.toLower();
    }
    else
      pendingSep = true;
  }
  return out;
}

int findColumn( const QStringList &normalisedHeader, const QStringList &candidates )
{
  for ( const QString &c : candidates )
  {
    const int i = normalisedHeader.indexOf( c );
    if ( i >= 0 )
      return i;
  }
  return -1;
}

} // namespace statdesk::ingest
