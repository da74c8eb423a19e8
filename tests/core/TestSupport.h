/**
 * \file TestSupport.h
 * Shared helpers for StatDesk tests: a QgsApplication per test executable, temporary
 * folders, running statdesk-cli, and reference tools that may be absent (skip cleanly).
 */
#pragma once

#include "common/QgisRuntime.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QTemporaryDir>
#include <QtTest>

namespace statdesk::test
{

//! Path of a built executable (statdesk-cli, statdesk).
inline QString binary( const QString &name )
{
  return QDir( QStringLiteral( STATDESK_BIN_DIR ) ).filePath( name );
}

//! Path under ../shared (real KC files), or empty when it is not there.
inline QString sharedFile( const QString &relative )
{
  const QString p = QDir( QStringLiteral( STATDESK_SHARED_DIR ) ).filePath( relative );
  return QFile::exists( p ) ? p : QString();
}

inline QString testData( const QString &relative )
{
  return QDir( QStringLiteral( STATDESK_TEST_DATA_DIR ) ).filePath( relative );
}

struct ProcessResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

//! Runs a program to completion (10 minutes at most).
inline ProcessResult run( const QString &program, const QStringList &args, int timeoutMs = 600000 )
{
  QProcess p;
  p.start( program, args );
  ProcessResult r;
  if ( !p.waitForStarted( 10000 ) )
    return r;
  p.waitForFinished( timeoutMs );
  r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
  r.out = p.readAllStandardOutput();
  r.err = p.readAllStandardError();
  return r;
}

inline ProcessResult cli( const QStringList &args )
{
  return run( binary( QStringLiteral( "statdesk-cli" ) ), args );
}

//! SHA-256 of a file's bytes (empty when it cannot be read): "the file did not change".
inline QByteArray fileHash( const QString &path )
{
  QFile f( path );
  if ( !f.open( QIODevice::ReadOnly ) )
    return QByteArray();
  QCryptographicHash h( QCryptographicHash::Sha256 );
  h.addData( &f );
  return h.result();
}

//! GDAL's validate_gpkg.py, or empty when python3-gdal's examples are not installed.
inline QString validateGpkgScript()
{
  const QStringList candidates {
    QStringLiteral( "/usr/share/doc/python3-gdal/examples/validate_gpkg.py" ),
    QStringLiteral( "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py" ),
  };
  for ( const QString &c : candidates )
    if ( QFile::exists( c ) )
      return c;
  return QString();
}

} // namespace statdesk::test

//! QTEST_MAIN for tests that need QGIS: one QgisRuntime for the executable.
#define STATDESK_QGIS_TEST_MAIN( TestClass )                                                 \
  int main( int argc, char **argv )                                                         \
  {                                                                                         \
    statdesk::QgisRuntime runtime( argc, argv, false, QStringLiteral( "statdesk-tests" ) ); \
    TestClass tc;                                                                           \
    QTEST_SET_MAIN_SOURCE_PATH                                                              \
    return QTest::qExec( &tc, argc, argv );                                                 \
  }
