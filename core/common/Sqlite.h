/**
 * \file Sqlite.h
 * Thin RAII wrappers over the SQLite C API: a connection, prepared statements and
 * transactions. The project file is changed only through a Transaction; a Transaction
 * that is destroyed without commit() rolls back, so an exception, an early return or a
 * cancel leaves the last committed state.
 *
 * A connection is used from one thread at a time.
 */
#pragma once

#include "statdesk_core_export.h"

#include <QByteArray>
#include <QString>
#include <QVariant>

#include <memory>

struct sqlite3;
struct sqlite3_stmt;

namespace statdesk
{

//! A SQLite connection. Registers the GeoPackage geometry functions (ST_MinX ...) that
//! GDAL's R*Tree triggers call, so that spatial tables stay indexed when written here.
class STATDESK_CORE_EXPORT SqliteDatabase
{
  public:
    SqliteDatabase() = default;
    ~SqliteDatabase();
    SqliteDatabase( const SqliteDatabase & ) = delete;
    SqliteDatabase &operator=( const SqliteDatabase & ) = delete;

    //! Opens \a path; \a readOnly opens without write access. Returns false with errorString().
    bool open( const QString &path, bool readOnly, bool create = false );
    void close();
    bool isOpen() const { return mDb != nullptr; }
    sqlite3 *handle() const { return mDb; }

    //! Executes one or more statements without results.
    bool exec( const QString &sql );
    //! First column of the first row of \a sql, or an invalid QVariant.
    QVariant scalar( const QString &sql );
    bool tableExists( const QString &table );

    QString errorString() const { return mError; }
    void setError( const QString &error ) { mError = error; }
    QString lastSqliteError() const;

  private:
    sqlite3 *mDb = nullptr;
    QString mError;
};

//! A prepared statement; bind() is 1-based like SQLite's.
class STATDESK_CORE_EXPORT SqliteStatement
{
  public:
    SqliteStatement( SqliteDatabase &db, const QString &sql );
    ~SqliteStatement();
    SqliteStatement( const SqliteStatement & ) = delete;
    SqliteStatement &operator=( const SqliteStatement & ) = delete;

    bool isValid() const { return mStmt != nullptr; }
    void bind( int index, const QVariant &value );
    void bindText( int index, const QString &value );
    void bindBlob( int index, const QByteArray &value );
    void bindInt64( int index, qint64 value );
    void bindDouble( int index, double value );
    void bindNull( int index );
    //! Steps once: true while a row is available.
    bool next();
    //! Steps a statement without results to completion; false on error.
    bool exec();
    void reset();
    QVariant value( int column ) const;
    QString text( int column ) const;
    qint64 int64( int column ) const;
    double real( int column ) const;
    QByteArray blob( int column ) const;
    bool isNull( int column ) const;
    int columnCount() const;
    QString columnName( int column ) const;
    QString errorString() const;

  private:
    SqliteDatabase &mDb;
    sqlite3_stmt *mStmt = nullptr;
};

/**
 * A write transaction (BEGIN IMMEDIATE). Rolls back on destruction unless commit()
 * succeeded, so every early exit leaves the database as it was.
 */
class STATDESK_CORE_EXPORT SqliteTransaction
{
  public:
    explicit SqliteTransaction( SqliteDatabase &db );
    ~SqliteTransaction();
    SqliteTransaction( const SqliteTransaction & ) = delete;
    SqliteTransaction &operator=( const SqliteTransaction & ) = delete;

    bool isActive() const { return mActive; }
    bool commit();
    void rollback();

  private:
    SqliteDatabase &mDb;
    bool mActive = false;
};

} // namespace statdesk
