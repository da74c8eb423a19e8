/**
 * \file Importer.h
 * Imports one file into a project, idempotently.
 */
#pragma once

#include "statdesk_core_export.h"
#include "ingest/CityLayout.h"
#include "ingest/ImportTypes.h"

#include <QStringList>
#include <QVector>

class QgsFeedback;

namespace statdesk
{
class ProjectFile;
}

namespace statdesk::ingest
{

//! The first rows of a file and what the importer makes of them (the wizard's preview page).
struct STATDESK_CORE_EXPORT ImportPreview
{
    bool ok = false;
    QString error;
    QStringList header;
    QVector<QStringList> rows;
    char delimiter = ',';
    bool polygon = false;
    LayoutMatch match;        //!< layout of the requested kind (invalid when not recognised)
    LayoutMatch bestAnyKind;  //!< best layout over all kinds (to suggest the kind)
    QStringList ogrFields;    //!< polygon sources: attribute fields
    qint64 featureCount = -1; //!< polygon sources
};

/**
 * Brings a city file into a project: CSV layouts of crime, 311, vacant and dangerous-building
 * data (recognised by the city layout plugins or given by a saved column mapping) and polygons
 * from any OGR source.
 *
 * Guarantees:
 * - one SqliteTransaction per import: a cancel (QgsFeedback), an error or a crash leaves the
 *   project as it was;
 * - every source row is imported, merged into a record (later person rows of an offense,
 *   repeated keys), or written to import_rejects with file, line, raw text and reason;
 * - records are keyed by the source's ids (offense = Report_No|IBRS, 311 case id, dangerous
 *   case number, parcel id) and carry a hash of their normalised content: re-importing the same
 *   file changes nothing, next week's file adds and updates;
 * - person-level fields go only to restricted_person_involvements;
 * - coordinates are checked (missing, (0,0), swapped lat/lon, far outside the city) and
 *   reprojected to the project CRS; a record whose location is not trusted is kept without a
 *   geometry and its location_flag says why (swapped coordinates are placed swapped back,
 *   flagged "swapped").
 *
 * The CSV is parsed in two worker threads (rows into records; location checks, reprojection
 * and hashes) while the calling thread writes; run() itself is synchronous and must be called
 * from the thread that uses \a project. A first import into an empty table builds the table's
 * secondary indexes and its R*Tree once at the end (ImportOptions::deferIndexes).
 */
class STATDESK_CORE_EXPORT Importer
{
  public:
    explicit Importer( ProjectFile &project );

    ImportSummary run( const ImportOptions &options, QgsFeedback *feedback = nullptr );

    //! Reads the header and the first \a rows rows of \a path and detects the layout.
    static ImportPreview preview( const QString &path, ImportKind kind, ProjectFile *project = nullptr, const QString &mapping = QString(), int rows = 20 );

    //! Seeds the blight mapping with \a rules when the project's mapping is empty (inside the caller's transaction).
    static bool seedBlightMappingInTransaction( ProjectFile &project, const QVector<BlightRule> &rules );

  private:
    ImportSummary runCsv( const ImportOptions &options, QgsFeedback *feedback );
    ImportSummary runPolygons( const ImportOptions &options, QgsFeedback *feedback );
    //! Point records from an OGR source (GeoJSON, Shapefile, GeoPackage ...) through the CSV path.
    ImportSummary runOgrPoints( const ImportOptions &options, QgsFeedback *feedback );
    //! Appends the import_log row of \a summary inside the caller's transaction.
    bool writeImportLog( const ImportSummary &summary, const QString &sourceSha256Hex, const QString &startedAt );
    static ImportPreview previewPolygons( const QString &path, int rows );
    static ImportPreview previewOgrPoints( const QString &path, ImportKind kind, ProjectFile *project, const QString &mapping, int rows );

    ProjectFile &mProject;
};

} // namespace statdesk::ingest
