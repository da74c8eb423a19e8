#include "LayoutRegistry.h"
#include "project/ProjectFile.h"
#include "project/Schema.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutexLocker>
#include <QPluginLoader>

namespace statdesk::ingest
{

namespace
{
const QString kMappingPrefix = QStringLiteral( "import_mapping:" );
}

LayoutRegistry &LayoutRegistry::instance()
{
  static LayoutRegistry sRegistry;
  return sRegistry;
}

QStringList LayoutRegistry::searchPaths() const
{
  QStringList paths;
  const QString env = qEnvironmentVariable( "STATDESK_PLUGIN_PATH" );
  for ( const QString &p : env.split( QLatin1Char( ':' ), Qt::SkipEmptyParts ) )
    paths << p;
  if ( QCoreApplication::instance() )
    paths << QDir( QCoreApplication::applicationDirPath() ).absoluteFilePath( QStringLiteral( "../lib/statdesk/plugins" ) );
  return paths;
}

void LayoutRegistry::ensureLoaded()
{
  if ( mLoaded )
    return;
  mLoaded = true;
  QStringList seen;
  for ( const QString &path : searchPaths() )
  {
    const QDir dir( path );
    if ( !dir.exists() )
      continue;
    for ( const QFileInfo &fi : dir.entryInfoList( QDir::Files, QDir::Name ) )
    {
      if ( !QLibrary::isLibrary( fi.fileName() ) || seen.contains( fi.fileName() ) )
        continue;
      QPluginLoader loader( fi.absoluteFilePath() );
      QObject *instance = loader.instance();
      auto *provider = instance ? qobject_cast<CityLayoutProvider *>( instance ) : nullptr;
      if ( !provider )
      {
        mErrors << QStringLiteral( "%1: %2" ).arg( fi.absoluteFilePath(), instance ? QStringLiteral( "not a city layout provider" ) : loader.errorString() );
        continue;
      }
      seen << fi.fileName();
      bool duplicate = false;
      for ( CityLayoutProvider *p : std::as_const( mProviders ) )
        duplicate = duplicate || p->id() == provider->id();
      if ( !duplicate )
        mProviders << provider;
    }
  }
}

void LayoutRegistry::addProvider( CityLayoutProvider *provider )
{
  QMutexLocker lock( &mMutex );
  ensureLoaded();
  mProviders.prepend( provider );
}

QVector<CityLayoutProvider *> LayoutRegistry::providers()
{
  QMutexLocker lock( &mMutex );
  ensureLoaded();
  return mProviders;
}

CityLayoutProvider *LayoutRegistry::provider( const QString &id )
{
  for ( CityLayoutProvider *p : providers() )
    if ( p->id() == id )
      return p;
  return nullptr;
}

QStringList LayoutRegistry::loadErrors()
{
  QMutexLocker lock( &mMutex );
  ensureLoaded();
  return mErrors;
}

LayoutMatch LayoutRegistry::detect( ImportKind kind, const QStringList &header )
{
  LayoutMatch best;
  for ( CityLayoutProvider *p : providers() )
  {
    LayoutMatch m = p->detect( kind, header );
    if ( m.isValid() && m.score > best.score )
    {
      m.providerId = p->id();
      m.kind = kind;
      best = m;
    }
  }
  return best;
}

LayoutMatch LayoutRegistry::detectAnyKind( const QStringList &header )
{
  LayoutMatch best;
  for ( ImportKind kind : { ImportKind::Crime, ImportKind::ServiceRequests, ImportKind::Vacant, ImportKind::Dangerous } )
  {
    const LayoutMatch m = detect( kind, header );
    if ( m.score > best.score )
      best = m;
  }
  return best;
}

QStringList requiredFields( ImportKind kind )
{
  switch ( kind )
  {
    case ImportKind::Crime:
      return { field::ReportNo, field::Ibrs, field::ReportedDate };
    case ImportKind::ServiceRequests:
      return { field::CaseId, field::CreatedDate };
    case ImportKind::Vacant:
      return { field::ParcelId };
    case ImportKind::Dangerous:
      return { field::CaseNumber };
    case ImportKind::Neighborhoods:
    case ImportKind::Boundary:
      break;
  }
  return {};
}

QStringList knownFields( ImportKind kind )
{
  const QStringList location { field::Location, field::Latitude, field::Longitude };
  switch ( kind )
  {
    case ImportKind::Crime:
      return QStringList { field::ReportNo, field::ReportedDate, field::ReportedTime, field::FromDate, field::FromTime, field::Offense,
                           field::Ibrs, field::Description, field::Beat, field::Address, field::Zip, field::Area, field::DvFlag,
                           field::FirearmFlag, field::InvlNo, field::Involvement, field::Race, field::Sex, field::Age }
             + location;
    case ImportKind::ServiceRequests:
      return QStringList { field::CaseId, field::RequestType, field::Category, field::Type, field::Detail, field::Status,
                           field::CreatedDate, field::CreatedTime, field::ClosedDate, field::LastUpdated, field::Address,
                           field::Zip, field::Neighborhood, field::CouncilDistrict }
             + location;
    case ImportKind::Vacant:
      return QStringList { field::ParcelId, field::VacantKind, field::ViolationCode, field::Address, field::Condition,
                           field::Status, field::Neighborhood, field::ListedAt }
             + location;
    case ImportKind::Dangerous:
      return QStringList { field::CaseNumber, field::Address, field::Zip, field::Status, field::CaseOpened, field::Neighborhood } + location;
    case ImportKind::Neighborhoods:
    case ImportKind::Boundary:
      break;
  }
  return {};
}

bool ColumnMapping::fromJson( const QByteArray &json, ColumnMapping *mapping, QString *error )
{
  QJsonParseError parseError;
  const QJsonDocument doc = QJsonDocument::fromJson( json, &parseError );
  if ( !doc.isObject() )
  {
    *error = QObject::tr( "The mapping is not a JSON object (%1)." ).arg( parseError.errorString() );
    return false;
  }
  const QJsonObject o = doc.object();
  ColumnMapping m;
  m.name = o.value( QStringLiteral( "name" ) ).toString().trimmed();
  if ( m.name.isEmpty() )
  {
    *error = QObject::tr( "The mapping has no \"name\"." );
    return false;
  }
  if ( !kindFromName( o.value( QStringLiteral( "kind" ) ).toString(), &m.kind ) || isPolygonKind( m.kind ) )
  {
    *error = QObject::tr( "The mapping's \"kind\" must be one of crime, 311, vacant, dangerous." );
    return false;
  }
  const QString delimiter = o.value( QStringLiteral( "delimiter" ) ).toString();
  if ( delimiter == QLatin1String( "\\t" ) || delimiter == QLatin1String( "tab" ) )
    m.delimiter = '\t';
  else if ( delimiter.size() == 1 )
    m.delimiter = delimiter.at( 0 ).toLatin1();
  const QJsonObject fields = o.value( QStringLiteral( "fields" ) ).toObject();
  const QStringList known = knownFields( m.kind );
  for ( auto it = fields.constBegin(); it != fields.constEnd(); ++it )
  {
    if ( !known.contains( it.key() ) )
    {
      *error = QObject::tr( "Unknown field \"%1\" in the mapping; %2 fields are: %3." ).arg( it.key(), kindName( m.kind ), known.join( QLatin1String( ", " ) ) );
      return false;
    }
    m.fields.insert( it.key(), it.value().toString() );
  }
  for ( const QString &r : requiredFields( m.kind ) )
  {
    if ( !m.fields.contains( r ) )
    {
      *error = QObject::tr( "The mapping must give the column of \"%1\"." ).arg( r );
      return false;
    }
  }
  m.options = o.value( QStringLiteral( "options" ) ).toObject().toVariantMap();
  const QJsonArray extent = o.value( QStringLiteral( "extent_wgs84" ) ).toArray();
  if ( extent.size() == 4 )
    m.extentWgs84 = QgsRectangle( extent[0].toDouble(), extent[1].toDouble(), extent[2].toDouble(), extent[3].toDouble() );
  *mapping = m;
  return true;
}

QByteArray ColumnMapping::toJson() const
{
  QJsonObject fieldsJson;
  for ( auto it = fields.constBegin(); it != fields.constEnd(); ++it )
    fieldsJson.insert( it.key(), it.value() );
  QJsonObject o { { QStringLiteral( "name" ), name }, { QStringLiteral( "kind" ), kindName( kind ) }, { QStringLiteral( "fields" ), fieldsJson } };
  if ( delimiter )
    o.insert( QStringLiteral( "delimiter" ), delimiter == '\t' ? QStringLiteral( "\\t" ) : QString( QLatin1Char( delimiter ) ) );
  if ( !options.isEmpty() )
    o.insert( QStringLiteral( "options" ), QJsonObject::fromVariantMap( options ) );
  if ( !extentWgs84.isNull() )
    o.insert( QStringLiteral( "extent_wgs84" ), QJsonArray { extentWgs84.xMinimum(), extentWgs84.yMinimum(), extentWgs84.xMaximum(), extentWgs84.yMaximum() } );
  return QJsonDocument( o ).toJson( QJsonDocument::Indented );
}

LayoutMatch ColumnMapping::resolve( const QStringList &header, QString *error ) const
{
  QStringList normalised;
  for ( const QString &h : header )
    normalised << normaliseColumnName( h );
  LayoutMatch m;
  m.providerId = QStringLiteral( "mapping" );
  m.layoutId = QStringLiteral( "mapping:%1" ).arg( name );
  m.title = QObject::tr( "Saved mapping \"%1\"" ).arg( name );
  m.kind = kind;
  m.options = options;
  m.extentWgs84 = extentWgs84;
  QStringList missing;
  for ( auto it = fields.constBegin(); it != fields.constEnd(); ++it )
  {
    const int column = normalised.indexOf( normaliseColumnName( it.value() ) );
    if ( column < 0 )
      missing << it.value();
    else
      m.fields.insert( it.key(), column );
  }
  if ( !missing.isEmpty() )
  {
    *error = QObject::tr( "The file has no column %1 that mapping \"%2\" needs." ).arg( missing.join( QLatin1String( ", " ) ), name );
    return LayoutMatch();
  }
  m.score = 1000;
  return m;
}

bool loadMapping( ProjectFile *project, const QString &nameOrFile, ColumnMapping *mapping, QString *error )
{
  if ( QFileInfo( nameOrFile ).isFile() )
  {
    QFile f( nameOrFile );
    if ( !f.open( QIODevice::ReadOnly ) )
    {
      *error = QObject::tr( "Cannot read mapping %1: %2" ).arg( nameOrFile, f.errorString() );
      return false;
    }
    if ( f.size() > ( 1 << 20 ) )
    {
      *error = QObject::tr( "%1 is too large to be a column mapping." ).arg( nameOrFile );
      return false;
    }
    return ColumnMapping::fromJson( f.readAll(), mapping, error );
  }
  const QString stored = project ? project->metadata( kMappingPrefix + nameOrFile ) : QString();
  if ( stored.isEmpty() )
  {
    *error = QObject::tr( "No mapping file or saved mapping named \"%1\"." ).arg( nameOrFile );
    return false;
  }
  return ColumnMapping::fromJson( stored.toUtf8(), mapping, error );
}

bool storeMappingInTransaction( ProjectFile &project, const ColumnMapping &mapping )
{
  return project.setMetadataInTransaction( kMappingPrefix + mapping.name, QString::fromUtf8( mapping.toJson() ) );
}

QStringList storedMappingNames( ProjectFile &project )
{
  QStringList names;
  SqliteStatement st( project.database(), QStringLiteral( "SELECT key FROM statdesk_metadata WHERE key LIKE 'import_mapping:%' ORDER BY key" ) );
  while ( st.next() )
    names << st.text( 0 ).mid( kMappingPrefix.size() );
  return names;
}

} // namespace statdesk::ingest
