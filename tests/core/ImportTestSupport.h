/**
 * \file ImportTestSupport.h
 * Helpers for the import tests: a fresh Kansas City project, running an import, hashing the
 * imported tables, reading single values.
 */
#pragma once

#include "TestSupport.h"
#include "common/GpkgGeometry.h"
#include "common/Sqlite.h"
#include "ingest/Importer.h"
#include "project/ProjectFile.h"

#include <QCryptographicHash>

namespace statdesk::test
{

inline std::unique_ptr<ProjectFile> newKcProject( const QTemporaryDir &dir, const QString &name = QStringLiteral( "kc.gpkg" ) )
{
  ProjectSettings settings;
  settings.cityName = QStringLiteral( "Kansas City" );
  settings.crs = QgsCoordinateReferenceSystem( QStringLiteral( "EPSG:26915" ) );
  settings.timeZone = QStringLiteral( "America/Chicago" );
  QString error;
  std::unique_ptr<ProjectFile> p = ProjectFile::create( dir.filePath( name ), settings, &error, true );
  if ( !p )
    qWarning() << error;
  return p;
}

inline ingest::ImportSummary importFile( ProjectFile &project, ingest::ImportKind kind, const QString &path, const QString &mapping = QString(), QgsFeedback *feedback = nullptr )
{
  ingest::ImportOptions options;
  options.kind = kind;
  options.filePath = path;
  options.mapping = mapping;
  ingest::Importer importer( project );
  const ingest::ImportSummary s = importer.run( options, feedback );
  if ( !s.ok )
    qWarning() << "import of" << path << "failed:" << s.error;
  return s;
}

//! Hash of the rows (all columns, by fid) of \a tables: the imported data, without the import log.
inline QString tablesHash( ProjectFile &project, const QStringList &tables )
{
  QCryptographicHash hash( QCryptographicHash::Sha256 );
  for ( const QString &t : tables )
  {
    SqliteStatement st( project.database(), QStringLiteral( "SELECT * FROM \"%1\" ORDER BY fid" ).arg( t ) );
    while ( st.next() )
    {
      for ( int c = 0; c < st.columnCount(); ++c )
      {
        hash.addData( st.value( c ).toByteArray() );
        hash.addData( st.isNull( c ) ? "\x01N" : "\x1f" );
      }
    }
    hash.addData( "\x1e" );
  }
  return QString::fromLatin1( hash.result().toHex() );
}

inline QVariant scalar( ProjectFile &project, const QString &sql )
{
  return project.database().scalar( sql );
}

} // namespace statdesk::test
