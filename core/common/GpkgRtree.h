/**
 * \file GpkgRtree.h
 * Building the GeoPackage R*Tree spatial index of a feature table in one pass, for bulk writers.
 */
#pragma once

#include "statdesk_core_export.h"

#include <QString>
#include <QStringList>

#include <vector>

namespace statdesk
{

class SqliteDatabase;

/**
 * Packs the R*Tree of a GeoPackage feature table at the end of a bulk write, instead of letting
 * the gpkg_rtree_index triggers insert every feature into it one by one (an R*Tree insertion per
 * row: choose a leaf, split, rewrite the path to the root, through SQLite's rtree module).
 *
 * begin() drops the table's R*Tree triggers; the writer then reports the envelope of every
 * feature it inserts or updates; finish() sorts the envelopes along a Hilbert curve, writes full
 * nodes bottom-up into the rtree module's own tables (`<rtree>_node`, `_parent`, `_rowid`, in the
 * format documented at the top of SQLite's rtree.c, as GDAL's bulk loader does) and recreates the
 * triggers with their original SQL. Coordinates are rounded to 32-bit floats outwards exactly as
 * the rtree module rounds them, so the index holds the same boxes as one built by the triggers.
 *
 * Everything happens inside the caller's transaction: a rollback (cancel, error, crash) restores
 * the triggers and the previous index with the rest of the file.
 *
 * Only for an index that is empty when begin() is called (a first import): begin() returns false
 * otherwise, and the caller keeps writing through the triggers. Not thread-safe.
 */
class STATDESK_CORE_EXPORT GpkgRtreeBulkLoader
{
  public:
    //! For the index of \a table's \a geometryColumn (rtree_<table>_<column>).
    GpkgRtreeBulkLoader( SqliteDatabase &db, const QString &table, const QString &geometryColumn = QStringLiteral( "geom" ) );
    ~GpkgRtreeBulkLoader();
    GpkgRtreeBulkLoader( const GpkgRtreeBulkLoader & ) = delete;
    GpkgRtreeBulkLoader &operator=( const GpkgRtreeBulkLoader & ) = delete;

    /**
     * Suspends the triggers when the index exists, is empty and has the GeoPackage form
     * (a 2D float rtree without auxiliary columns). False when bulk loading does not apply
     * (\a error says why only for SQLite errors; the triggers are left as they were).
     */
    bool begin( QString *error = nullptr );
    //! True between a successful begin() and finish().
    bool isActive() const { return mActive; }

    //! Room for the envelopes of \a count features.
    void reserve( size_t count );
    //! The envelope of feature \a fid (a later call for the same fid replaces it).
    void setEnvelope( qint64 fid, double minX, double maxX, double minY, double maxY );
    //! Feature \a fid has no geometry (any envelope reported for it is forgotten).
    void clearEnvelope( qint64 fid );

    /**
     * Sorts the envelopes and builds the nodes, without touching the database: may run in
     * another thread (while the caller's connection does other work) once the last envelope
     * was reported. finish() calls it when it was not called.
     */
    void prepare();

    //! Writes the index and recreates the triggers. False with \a error on a SQLite error.
    bool finish( QString *error = nullptr );

    //! Entries per node of the index (from the size of its root node); valid after begin().
    int nodeCapacity() const { return mCapacity; }

  private:
    struct Item
    {
        qint64 fid;
        float box[4]; //!< minx, maxx, miny, maxy; NaN in box[0] = removed
    };
    Item *find( qint64 fid );

    SqliteDatabase &mDb;
    QString mTable;
    QString mRtree;
    bool mActive = false;
    int mNodeSize = 0;
    int mCapacity = 0;
    QStringList mTriggerSql;
    std::vector<Item> mItems; //!< ascending fid
    // prepare()'s results.
    bool mPrepared = false;
    std::vector<unsigned char> mNodes; //!< node blobs of mNodeSize bytes, in creation order
    std::vector<qint64> mNodeNumbers; //!< their node numbers
    std::vector<std::pair<qint64, qint64>> mParents; //!< (node, parent) of every node but the root
    std::vector<qint64> mLeafOf; //!< leaf node of mItems[i]
};

} // namespace statdesk
