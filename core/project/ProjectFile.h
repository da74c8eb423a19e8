/**
 * \file ProjectFile.h
 * A StatDesk project: one GeoPackage holding every layer, the attribute tables, the
 * metadata (schema version, app version, city, CRS, time zone) and the QGIS project
 * (map layers, styles in layer_styles, layer tree), so the same file opens in vanilla QGIS.
 *
 * Owns the SQLite connection used for every write. All writes go through
 * SqliteTransaction; creation and Save As write a temporary file and rename it into place,
 * so a crash at any moment leaves the previous good file.
 *
 * A read-write ProjectFile holds a lock file ("<file>.lock") for as long as it is open, so a
 * second StatDesk opening the same file is told who has it.
 *
 * Not thread-safe: use from one thread at a time (a QgsTask may own its own ProjectFile).
 */
#pragma once

#include "statdesk_core_export.h"
#include "common/Sqlite.h"

#include <QDateTime>
#include <QString>
#include <QStringList>
#include <QTimeZone>

#include <qgscoordinatereferencesystem.h>
#include <qgsrectangle.h>

#include <memory>

class QLockFile;

namespace statdesk
{

//! What a new project is made from.
struct ProjectSettings
{
    QString cityName;
    QgsCoordinateReferenceSystem crs; //!< projected, metres or feet
    QString timeZone = QStringLiteral( "America/Chicago" ); //!< IANA id
};

//! Why a file could not be opened; lets the app offer the right next step.
enum class OpenFailure
{
  None,
  NotFound,
  NotSqlite,      //!< not a SQLite database at all
  NotGeoPackage,  //!< SQLite, but not a GeoPackage
  NotAProject,    //!< a GeoPackage without StatDesk metadata: offer to create a project from its layers
  NewerSchema,    //!< written by a newer StatDesk
  ReadOnlyFile,   //!< cannot be opened for writing (file or folder not writable)
  Locked,         //!< open for writing in another StatDesk
  Invalid,        //!< damaged, or failed a migration
};

class STATDESK_CORE_EXPORT ProjectFile
{
  public:
    enum class Mode
    {
      ReadWrite,
      ReadOnly,
    };

    ~ProjectFile();
    ProjectFile( const ProjectFile & ) = delete;
    ProjectFile &operator=( const ProjectFile & ) = delete;

    /**
     * Creates a new project at \a path (refuses to overwrite an existing file unless
     * \a overwrite) and opens it read-write. The QGIS project with default styles is
     * written too, so QgsApplication must be initialised. Returns nullptr with \a error.
     */
    static std::unique_ptr<ProjectFile> create( const QString &path, const ProjectSettings &settings, QString *error, bool overwrite = false );

    /**
     * Opens an existing project. Refuses, without changing the file: a missing file, a file that
     * is not SQLite, a SQLite file that is not a GeoPackage, a GeoPackage that is not a project,
     * a newer schema, a read-only file or folder in ReadWrite mode, a file locked by another
     * instance. Older schemas are migrated inside one transaction (ReadWrite only).
     */
    static std::unique_ptr<ProjectFile> open( const QString &path, Mode mode, QString *error, OpenFailure *failure = nullptr );

    //! Cheap check for the app's Open dialog and the CLI: is \a path a StatDesk project this build can read?
    static OpenFailure probe( const QString &path, QString *message = nullptr );

    QString path() const { return mPath; }
    bool isReadOnly() const { return mMode == Mode::ReadOnly; }
    SqliteDatabase &database() { return mDb; }

    int schemaVersion() const;
    QString cityName() const;
    QgsCoordinateReferenceSystem crs() const;
    //! The gpkg_spatial_ref_sys id of the project CRS, for GeoPackage geometry blobs.
    int srsId() const { return mSrsId; }
    QTimeZone timeZone() const;

    QString metadata( const QString &key ) const;
    //! Writes one metadata value in its own transaction.
    bool setMetadata( const QString &key, const QString &value );
    //! Writes one metadata value inside a transaction the caller holds.
    bool setMetadataInTransaction( const QString &key, const QString &value );

    //! Number of features / rows of a table; \a located counts only rows with a geometry.
    qint64 rowCount( const QString &table, bool located = false ) const;
    //! Extent of a layer's geometries (from its R*Tree), null when empty.
    QgsRectangle layerExtent( const QString &table ) const;
    //! Union of all layer extents.
    QgsRectangle fullExtent() const;

    /**
     * Brings gpkg_contents' extents and feature counts up to date after bulk writes, inside
     * the caller's transaction (vanilla QGIS reads them when it opens the file).
     */
    bool refreshContents( const QString &table );

    //! Hash of the content of every user table (ordered by fid), independent of file layout and timestamps.
    QString contentHash() const;

    /**
     * Copies the whole file to \a newPath (SQLite online backup to a temporary file, then rename),
     * and switches this object to the copy. The copy's QGIS project is rewritten to point to it.
     */
    bool saveAs( const QString &newPath, QString *error );

    QString errorString() const { return mError; }

    //! Formats a local date-time in the project's time zone with its UTC offset (schema convention).
    QString formatDateTime( const QDateTime &dateTime ) const;

  private:
    ProjectFile() = default;
    bool openDatabase( const QString &path, Mode mode, QString *error, OpenFailure *failure );
    bool migrate( int fromVersion, QString *error );
    bool readStatics();

    QString mPath;
    Mode mMode = Mode::ReadOnly;
    mutable SqliteDatabase mDb;
    std::unique_ptr<QLockFile> mLock;
    int mSrsId = 0;
    QString mError;
};

//! A user-facing sentence for \a failure (used by the app's Open dialog and the CLI).
STATDESK_CORE_EXPORT QString describeOpenFailure( OpenFailure failure );

} // namespace statdesk
