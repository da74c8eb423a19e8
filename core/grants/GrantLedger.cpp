#include "grants/GrantLedger.h"
#include "grants/GrantCsv.h"
#include "grants/Money.h"

#include "common/GpkgGeometry.h"
#include "common/Sqlite.h"
#include "project/GpkgTables.h"
#include "project/ProjectFile.h"
#include "project/Schema.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QObject>
#include <QSaveFile>
#include <QSet>

#include <qgsgeometry.h>

#include <algorithm>

namespace statdesk::grants
{

namespace
{
const QString kGenesis = QString( 64, QLatin1Char( '0' ) );
const QString kHeadKey = QStringLiteral( "grants_audit_head" );

QString tr( const char *s )
{
  return QObject::tr( s );
}

struct TableDef
{
  QString name;
  QString columns; //!< after "fid INTEGER PRIMARY KEY AUTOINCREMENT"
  QString description;
};

const QVector<TableDef> &tableDefs()
{
  static const QVector<TableDef> sDefs{
      { tables::kPrograms, QStringLiteral( "name TEXT NOT NULL UNIQUE, cap_cents INTEGER NOT NULL, budget_cents INTEGER NOT NULL, "
                                           "cycle_start TEXT, cycle_end TEXT, match_required INTEGER NOT NULL DEFAULT 0, created_at TEXT" ),
        QStringLiteral( "Grant programs" ) },
      { tables::kGrants, QStringLiteral( "program_id INTEGER NOT NULL, nbh_id TEXT NOT NULL, grantee TEXT NOT NULL, contact TEXT, "
                                         "registration_status TEXT, category TEXT, award_cents INTEGER NOT NULL DEFAULT 0, "
                                         "status TEXT NOT NULL, start_date TEXT, end_date TEXT, created_at TEXT" ),
        QStringLiteral( "Grants" ) },
      { tables::kBudgetLines, QStringLiteral( "grant_id INTEGER NOT NULL, category TEXT, description TEXT, amount_cents INTEGER NOT NULL" ),
        QStringLiteral( "Grant budget lines" ) },
      { tables::kDisbursements, QStringLiteral( "grant_id INTEGER NOT NULL, paid_on TEXT, amount_cents INTEGER NOT NULL, kind TEXT, reference TEXT" ),
        QStringLiteral( "Grant disbursements" ) },
      { tables::kExpenses, QStringLiteral( "grant_id INTEGER NOT NULL, spent_on TEXT, amount_cents INTEGER NOT NULL, vendor TEXT, "
                                           "description TEXT, budget_line_id INTEGER" ),
        QStringLiteral( "Grant expenses" ) },
      { tables::kReceipts, QStringLiteral( "grant_id INTEGER NOT NULL, expense_id INTEGER NOT NULL, file_name TEXT NOT NULL, mime_type TEXT, "
                                           "sha256 TEXT NOT NULL, size_bytes INTEGER NOT NULL, attached_at TEXT" ),
        QStringLiteral( "Grant receipts" ) },
      { tables::kInKindMatch, QStringLiteral( "grant_id INTEGER NOT NULL, given_on TEXT, description TEXT, value_cents INTEGER NOT NULL, source TEXT" ),
        QStringLiteral( "Grant in-kind match" ) },
      { tables::kMilestones, QStringLiteral( "grant_id INTEGER NOT NULL, title TEXT NOT NULL, due_on TEXT NOT NULL, completed_on TEXT" ),
        QStringLiteral( "Grant milestones" ) },
      { tables::kNotes, QStringLiteral( "grant_id INTEGER NOT NULL, written_at TEXT, author TEXT, body TEXT" ), QStringLiteral( "Grant notes" ) },
      { tables::kGrantSites, QStringLiteral( "geom GEOMETRY, grant_id INTEGER NOT NULL, label TEXT, kind TEXT" ), QStringLiteral( "Grant sites" ) },
  };
  return sDefs;
}

QString osUser()
{
  QString u = qEnvironmentVariable( "USER" );
  if ( u.isEmpty() )
    u = qEnvironmentVariable( "USERNAME" );
  return u.isEmpty() ? QStringLiteral( "unknown" ) : u;
}

QString isoDate( const QDate &d )
{
  return d.isValid() ? d.toString( Qt::ISODate ) : QString();
}

QString compact( const QJsonObject &o )
{
  return QString::fromUtf8( QJsonDocument( o ).toJson( QJsonDocument::Compact ) );
}

QJsonObject parseImage( const QString &image )
{
  return image.isEmpty() ? QJsonObject() : QJsonDocument::fromJson( image.toUtf8() ).object();
}

QString entryHash( qint64 seq, qint64 opId, const QString &kind, qint64 target, const QString &label, const QString &who, const QString &at,
                   const QString &table, qint64 row, const QString &action, const QString &before, const QString &after, const QString &prev )
{
  const QJsonArray a{ seq, opId, kind, target, label, who, at, table, row, action, before, after, prev };
  const QByteArray canonical = QJsonDocument( a ).toJson( QJsonDocument::Compact );
  return QString::fromLatin1( QCryptographicHash::hash( canonical, QCryptographicHash::Sha256 ).toHex() );
}

bool isChildTable( const QString &t )
{
  return t == tables::kBudgetLines || t == tables::kDisbursements || t == tables::kExpenses || t == tables::kReceipts || t == tables::kInKindMatch || t == tables::kMilestones || t == tables::kNotes || t == tables::kGrantSites;
}
} // namespace

const QStringList &tables::audited()
{
  static const QStringList sList = []
  {
    QStringList l;
    for ( const TableDef &d : tableDefs() )
      l << d.name;
    return l;
  }();
  return sList;
}

const QStringList &grantStatuses()
{
  static const QStringList s{ QStringLiteral( "applied" ), QStringLiteral( "awarded" ), QStringLiteral( "active" ), QStringLiteral( "closed" ),
                              QStringLiteral( "declined" ), QStringLiteral( "withdrawn" ) };
  return s;
}

const QStringList &priorityCategories()
{
  static const QStringList s{ QStringLiteral( "safety" ), QStringLiteral( "lighting" ), QStringLiteral( "lot clean-up" ), QStringLiteral( "greening" ),
                              QStringLiteral( "trees" ), QStringLiteral( "beautification" ), QStringLiteral( "traffic calming" ), QStringLiteral( "other" ) };
  return s;
}

QString transitionRefusal( const QString &from, const QString &to )
{
  static const QHash<QString, QStringList> sNext{
      { QStringLiteral( "applied" ), { QStringLiteral( "awarded" ), QStringLiteral( "declined" ), QStringLiteral( "withdrawn" ) } },
      { QStringLiteral( "awarded" ), { QStringLiteral( "active" ), QStringLiteral( "withdrawn" ) } },
      { QStringLiteral( "active" ), { QStringLiteral( "closed" ), QStringLiteral( "withdrawn" ) } },
  };
  if ( !grantStatuses().contains( to ) )
    return tr( "\"%1\" is not a grant status (one of %2)" ).arg( to, grantStatuses().join( QStringLiteral( ", " ) ) );
  if ( from == to )
    return tr( "the grant is already %1" ).arg( to );
  const QStringList next = sNext.value( from );
  if ( next.isEmpty() )
    return tr( "a %1 grant cannot change status any more (%1 is final)" ).arg( from );
  if ( !next.contains( to ) )
    return tr( "a grant cannot go from %1 to %2; from %1 it can go to %3" ).arg( from, to, next.join( QStringLiteral( " or " ) ) );
  return QString();
}

// ---------------------------------------------------------------------------------------------

//! One audited operation: a transaction plus the op id its audit entries share.
struct GrantLedger::Operation
{
  Operation( GrantLedger &ledger, const QString &kind, qint64 target, const QString &label )
      : mLedger( ledger ), mTx( ledger.mDb ), mKind( kind ), mTarget( target ), mLabel( label )
  {
    mAt = QDateTime::currentDateTimeUtc().toString( Qt::ISODateWithMs );
    if ( mTx.isActive() )
      mOpId = ledger.mDb.scalar( QStringLiteral( "SELECT COALESCE(MAX(op_id), 0) + 1 FROM audit_log" ) ).toLongLong();
  }
  bool isActive() const { return mTx.isActive() && mOpId > 0; }
  bool commit()
  {
    if ( mEntries == 0 )
      return true; // nothing changed: roll back silently
    const QString head = mLedger.mDb.scalar( QStringLiteral( "SELECT seq || ':' || hash FROM audit_log ORDER BY seq DESC LIMIT 1" ) ).toString();
    if ( !mLedger.mProject.setMetadataInTransaction( kHeadKey, head ) )
      return mLedger.fail( mLedger.mDb.lastSqliteError() );
    if ( !mTx.commit() )
      return mLedger.fail( tr( "Could not save the change: %1" ).arg( mLedger.mDb.errorString() ) );
    return true;
  }

  GrantLedger &mLedger;
  SqliteTransaction mTx;
  QString mKind;
  qint64 mTarget = 0;
  QString mLabel;
  QString mAt;
  qint64 mOpId = 0;
  int mEntries = 0;
};

GrantLedger::GrantLedger( ProjectFile &project, const QString &user )
    : mProject( project ), mDb( project.database() ), mUser( user.isEmpty() ? osUser() : user )
{
}

bool GrantLedger::fail( const QString &message )
{
  mError = message;
  return false;
}

bool GrantLedger::hasLedger() const
{
  return mDb.tableExists( tables::kAuditLog );
}

bool GrantLedger::ensureTables()
{
  if ( hasLedger() )
    return true;
  if ( mProject.isReadOnly() )
    return fail( tr( "The project is open read-only and has no grants ledger yet" ) );
  SqliteTransaction tx( mDb );
  if ( !tx.isActive() )
    return fail( tr( "Could not start a transaction: %1" ).arg( mDb.errorString() ) );
  const bool geoPackage = mDb.tableExists( QStringLiteral( "gpkg_contents" ) );
  QString error;
  for ( const TableDef &d : tableDefs() )
  {
    if ( !mDb.exec( QStringLiteral( "CREATE TABLE \"%1\" (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, %2)" ).arg( d.name, d.columns ) ) )
      return fail( mDb.errorString() );
    if ( d.name != tables::kPrograms && d.name != tables::kGrants )
      mDb.exec( QStringLiteral( "CREATE INDEX \"idx_%1_grant\" ON \"%1\"(grant_id)" ).arg( d.name ) );
    if ( !geoPackage )
      continue;
    // grant_sites is a GeoPackage layer with the R*Tree GDAL would create; the others are attribute tables.
    const bool registered = d.name == tables::kGrantSites ? gpkg::registerFeatureTable( mDb, d.name, QStringLiteral( "GEOMETRY" ), mProject.srsId(), d.description, &error )
                                                          : gpkg::registerAttributesTable( mDb, d.name, d.description, &error );
    if ( !registered )
      return fail( error );
  }
  if ( !mDb.exec( QStringLiteral( "CREATE INDEX idx_grants_program ON grants(program_id, nbh_id)" ) ) )
    return fail( mDb.errorString() );
  const QStringList plain{
      QStringLiteral( "CREATE TABLE receipt_files (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, sha256 TEXT NOT NULL UNIQUE, "
                      "size_bytes INTEGER NOT NULL, content BLOB NOT NULL)" ),
      QStringLiteral( "CREATE TABLE audit_log (seq INTEGER PRIMARY KEY NOT NULL, op_id INTEGER NOT NULL, op_kind TEXT NOT NULL, "
                      "op_target INTEGER NOT NULL DEFAULT 0, op_label TEXT, who TEXT NOT NULL, at TEXT NOT NULL, table_name TEXT NOT NULL, "
                      "row_id INTEGER NOT NULL, action TEXT NOT NULL, before_json TEXT NOT NULL, after_json TEXT NOT NULL, "
                      "prev_hash TEXT NOT NULL, hash TEXT NOT NULL)" ),
      QStringLiteral( "CREATE INDEX idx_audit_op ON audit_log(op_id)" ),
      QStringLiteral( "CREATE INDEX idx_audit_row ON audit_log(table_name, row_id)" ),
      // Append-only: the ledger never updates or deletes log entries; these triggers stop casual
      // edits (a determined editor can drop them, which verify() then catches through the chain).
      QStringLiteral( "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END" ),
      QStringLiteral( "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END" ),
  };
  for ( const QString &sql : plain )
    if ( !mDb.exec( sql ) )
      return fail( mDb.errorString() );
  // audit_log's key is seq, not fid: GeoPackage attribute tables only need an INTEGER PRIMARY KEY.
  if ( geoPackage && !gpkg::registerAttributesTable( mDb, tables::kAuditLog, QStringLiteral( "Grants audit log" ), &error ) )
    return fail( error );
  if ( !tx.commit() )
    return fail( mDb.errorString() );
  return true;
}

// --- row images and the audit chain ----------------------------------------------------------

QString GrantLedger::rowImage( const QString &table, qint64 fid ) const
{
  SqliteStatement st( mDb, QStringLiteral( "SELECT * FROM \"%1\" WHERE fid = ?" ).arg( table ) );
  st.bindInt64( 1, fid );
  if ( !st.next() )
    return QString();
  QJsonObject o;
  for ( int c = 0; c < st.columnCount(); ++c )
  {
    const QString name = st.columnName( c );
    const QVariant v = st.value( c );
    if ( v.isNull() )
      o.insert( name, QJsonValue::Null );
    else if ( v.userType() == QMetaType::QByteArray )
      o.insert( name, QString::fromLatin1( v.toByteArray().toBase64() ) );
    else if ( v.userType() == QMetaType::LongLong || v.userType() == QMetaType::Int )
      o.insert( name, v.toLongLong() );
    else if ( v.userType() == QMetaType::Double )
      o.insert( name, v.toDouble() );
    else
      o.insert( name, v.toString() );
  }
  return compact( o );
}

bool GrantLedger::restoreImage( const QString &table, qint64 fid, const QString &image, bool exists )
{
  if ( image.isEmpty() )
  {
    SqliteStatement del( mDb, QStringLiteral( "DELETE FROM \"%1\" WHERE fid = ?" ).arg( table ) );
    del.bindInt64( 1, fid );
    return del.exec() || fail( del.errorString() );
  }
  const QJsonObject o = parseImage( image );
  QStringList cols;
  for ( auto it = o.begin(); it != o.end(); ++it )
    if ( it.key() != QLatin1String( "fid" ) )
      cols << it.key();
  QString sql;
  if ( exists )
  {
    QStringList sets;
    for ( const QString &c : cols )
      sets << QStringLiteral( "\"%1\" = ?" ).arg( c );
    sql = QStringLiteral( "UPDATE \"%1\" SET %2 WHERE fid = ?" ).arg( table, sets.join( QLatin1Char( ',' ) ) );
  }
  else
  {
    QStringList quoted, marks;
    for ( const QString &c : cols )
    {
      quoted << QStringLiteral( "\"%1\"" ).arg( c );
      marks << QStringLiteral( "?" );
    }
    sql = QStringLiteral( "INSERT INTO \"%1\" (%2, fid) VALUES (%3, ?)" ).arg( table, quoted.join( QLatin1Char( ',' ) ), marks.join( QLatin1Char( ',' ) ) );
  }
  SqliteStatement st( mDb, sql );
  int i = 1;
  for ( const QString &c : cols )
  {
    const QJsonValue v = o.value( c );
    if ( v.isNull() )
      st.bindNull( i );
    else if ( c == schema::kGeometryColumn )
      st.bindBlob( i, QByteArray::fromBase64( v.toString().toLatin1() ) );
    else if ( v.isDouble() )
    {
      const double d = v.toDouble();
      if ( d == static_cast<double>( static_cast<qint64>( d ) ) )
        st.bindInt64( i, static_cast<qint64>( d ) );
      else
        st.bindDouble( i, d );
    }
    else
    {
      // An empty text stays empty text (a null QString would bind NULL and differ from the image).
      const QString text = v.toString();
      st.bindText( i, text.isNull() ? QStringLiteral( "" ) : text );
    }
    ++i;
  }
  st.bindInt64( i, fid );
  return st.exec() || fail( st.errorString() );
}

bool GrantLedger::appendAudit( Operation &op, const QString &table, qint64 fid, const QString &action, const QString &before, const QString &after )
{
  SqliteStatement last( mDb, QStringLiteral( "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1" ) );
  qint64 seq = 1;
  QString prev = kGenesis;
  if ( last.next() )
  {
    seq = last.int64( 0 ) + 1;
    prev = last.text( 1 );
  }
  const QString hash = entryHash( seq, op.mOpId, op.mKind, op.mTarget, op.mLabel, mUser, op.mAt, table, fid, action, before, after, prev );
  SqliteStatement ins( mDb, QStringLiteral( "INSERT INTO audit_log (seq, op_id, op_kind, op_target, op_label, who, at, table_name, row_id, action, "
                                            "before_json, after_json, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)" ) );
  ins.bindInt64( 1, seq );
  ins.bindInt64( 2, op.mOpId );
  ins.bindText( 3, op.mKind );
  ins.bindInt64( 4, op.mTarget );
  ins.bindText( 5, op.mLabel.isEmpty() ? QStringLiteral( "" ) : op.mLabel );
  ins.bindText( 6, mUser );
  ins.bindText( 7, op.mAt );
  ins.bindText( 8, table );
  ins.bindInt64( 9, fid );
  ins.bindText( 10, action );
  // No image (insert's before, delete's after) is stored as '' (a null QString would bind NULL).
  ins.bindText( 11, before.isEmpty() ? QStringLiteral( "" ) : before );
  ins.bindText( 12, after.isEmpty() ? QStringLiteral( "" ) : after );
  ins.bindText( 13, prev );
  ins.bindText( 14, hash );
  if ( !ins.exec() )
    return fail( ins.errorString() );
  ++op.mEntries;
  return true;
}

qint64 GrantLedger::insertRow( Operation &op, const QString &table, const QVariantMap &values )
{
  QStringList cols, marks;
  for ( auto it = values.begin(); it != values.end(); ++it )
  {
    cols << QStringLiteral( "\"%1\"" ).arg( it.key() );
    marks << QStringLiteral( "?" );
  }
  SqliteStatement st( mDb, QStringLiteral( "INSERT INTO \"%1\" (%2) VALUES (%3)" ).arg( table, cols.join( QLatin1Char( ',' ) ), marks.join( QLatin1Char( ',' ) ) ) );
  int i = 1;
  for ( auto it = values.begin(); it != values.end(); ++it, ++i )
  {
    if ( it.value().userType() == QMetaType::QByteArray )
      st.bindBlob( i, it.value().toByteArray() );
    else
      st.bind( i, it.value() );
  }
  if ( !st.exec() )
  {
    fail( st.errorString() );
    return 0;
  }
  const qint64 fid = mDb.scalar( QStringLiteral( "SELECT last_insert_rowid()" ) ).toLongLong();
  if ( !appendAudit( op, table, fid, QStringLiteral( "insert" ), QString(), rowImage( table, fid ) ) )
    return 0;
  return fid;
}

bool GrantLedger::updateRow( Operation &op, const QString &table, qint64 fid, const QVariantMap &values )
{
  const QString before = rowImage( table, fid );
  if ( before.isEmpty() )
    return fail( tr( "%1 row %2 does not exist" ).arg( table ).arg( fid ) );
  QStringList sets;
  for ( auto it = values.begin(); it != values.end(); ++it )
    sets << QStringLiteral( "\"%1\" = ?" ).arg( it.key() );
  SqliteStatement st( mDb, QStringLiteral( "UPDATE \"%1\" SET %2 WHERE fid = ?" ).arg( table, sets.join( QLatin1Char( ',' ) ) ) );
  int i = 1;
  for ( auto it = values.begin(); it != values.end(); ++it, ++i )
    st.bind( i, it.value() );
  st.bindInt64( i, fid );
  if ( !st.exec() )
    return fail( st.errorString() );
  const QString after = rowImage( table, fid );
  if ( after == before )
    return true;
  return appendAudit( op, table, fid, QStringLiteral( "update" ), before, after );
}

bool GrantLedger::deleteRow( Operation &op, const QString &table, qint64 fid )
{
  const QString before = rowImage( table, fid );
  if ( before.isEmpty() )
    return fail( tr( "%1 row %2 does not exist" ).arg( table ).arg( fid ) );
  if ( !restoreImage( table, fid, QString(), true ) )
    return false;
  return appendAudit( op, table, fid, QStringLiteral( "delete" ), before, QString() );
}

QVariantMap GrantLedger::row( const QString &table, qint64 fid ) const
{
  QVariantMap m;
  if ( !mDb.tableExists( table ) )
    return m;
  SqliteStatement st( mDb, QStringLiteral( "SELECT * FROM \"%1\" WHERE fid = ?" ).arg( table ) );
  st.bindInt64( 1, fid );
  if ( st.next() )
    for ( int c = 0; c < st.columnCount(); ++c )
      m.insert( st.columnName( c ), st.value( c ) );
  return m;
}

qint64 GrantLedger::programIdByName( const QString &name ) const
{
  if ( !hasLedger() )
    return 0;
  SqliteStatement st( mDb, QStringLiteral( "SELECT fid FROM programs WHERE name = ?" ) );
  st.bindText( 1, name );
  return st.next() ? st.int64( 0 ) : 0;
}

qint64 GrantLedger::sumCents( const QString &sql, qint64 id ) const
{
  SqliteStatement st( mDb, sql );
  st.bindInt64( 1, id );
  return st.next() ? st.int64( 0 ) : 0;
}

qint64 GrantLedger::grantAward( qint64 grantId ) const
{
  return sumCents( QStringLiteral( "SELECT COALESCE(award_cents, 0) FROM grants WHERE fid = ?" ), grantId );
}

QString GrantLedger::grantStatus( qint64 grantId ) const
{
  SqliteStatement st( mDb, QStringLiteral( "SELECT status FROM grants WHERE fid = ?" ) );
  st.bindInt64( 1, grantId );
  return st.next() ? st.text( 0 ) : QString();
}

// --- operations --------------------------------------------------------------------------------

#define STATDESK_BEGIN_OP( label )                                              \
  if ( !ensureTables() )                                                        \
    return {};                                                                  \
  Operation op( *this, QStringLiteral( "edit" ), 0, label );                    \
  if ( !op.isActive() )                                                         \
  {                                                                             \
    fail( tr( "Could not start a transaction: %1" ).arg( mDb.errorString() ) ); \
    return {};                                                                  \
  }

qint64 GrantLedger::addProgram( const ProgramInput &in )
{
  mError.clear();
  if ( in.name.trimmed().isEmpty() )
    return fail( tr( "A program needs a name" ) ), 0;
  if ( in.capCents <= 0 )
    return fail( tr( "The per-neighborhood cap must be more than $0.00" ) ), 0;
  if ( in.budgetCents <= 0 )
    return fail( tr( "The program budget must be more than $0.00" ) ), 0;
  if ( in.capCents > in.budgetCents )
    return fail( tr( "The per-neighborhood cap %1 is larger than the whole budget %2" ).arg( formatMoney( in.capCents ), formatMoney( in.budgetCents ) ) ), 0;
  if ( in.cycleStart.isValid() && in.cycleEnd.isValid() && in.cycleEnd < in.cycleStart )
    return fail( tr( "The cycle ends (%1) before it starts (%2)" ).arg( isoDate( in.cycleEnd ), isoDate( in.cycleStart ) ) ), 0;
  if ( programIdByName( in.name.trimmed() ) )
    return fail( tr( "A program named \"%1\" already exists" ).arg( in.name.trimmed() ) ), 0;
  STATDESK_BEGIN_OP( tr( "Add program %1" ).arg( in.name.trimmed() ) )
  const qint64 id = insertRow( op, tables::kPrograms,
                               { { QStringLiteral( "name" ), in.name.trimmed() },
                                 { QStringLiteral( "cap_cents" ), in.capCents },
                                 { QStringLiteral( "budget_cents" ), in.budgetCents },
                                 { QStringLiteral( "cycle_start" ), isoDate( in.cycleStart ) },
                                 { QStringLiteral( "cycle_end" ), isoDate( in.cycleEnd ) },
                                 { QStringLiteral( "match_required" ), in.matchRequired ? 1 : 0 },
                                 { QStringLiteral( "created_at" ), op.mAt } } );
  return id && op.commit() ? id : 0;
}

qint64 GrantLedger::doAddGrant( Operation &op, const GrantInput &in )
{
  if ( row( tables::kPrograms, in.programId ).isEmpty() )
    return fail( tr( "Program %1 does not exist" ).arg( in.programId ) ), 0;
  if ( in.nbhId.trimmed().isEmpty() )
    return fail( tr( "A grant needs a neighborhood (nbh_id)" ) ), 0;
  {
    SqliteStatement n( mDb, QStringLiteral( "SELECT COUNT(*) FROM \"%1\" WHERE nbh_id = ?" ).arg( schema::kNeighborhoods ) );
    n.bindText( 1, in.nbhId.trimmed() );
    if ( !n.next() || n.int64( 0 ) == 0 )
      return fail( tr( "Neighborhood \"%1\" is not in the neighborhoods layer" ).arg( in.nbhId.trimmed() ) ), 0;
  }
  if ( in.grantee.trimmed().isEmpty() )
    return fail( tr( "A grant needs a grantee organisation" ) ), 0;
  if ( !in.category.isEmpty() && !priorityCategories().contains( in.category.trimmed().toLower() ) )
    return fail( tr( "\"%1\" is not a priority category (one of %2)" ).arg( in.category, priorityCategories().join( QStringLiteral( ", " ) ) ) ), 0;
  if ( in.startDate.isValid() && in.endDate.isValid() && in.endDate < in.startDate )
    return fail( tr( "The grant ends (%1) before it starts (%2)" ).arg( isoDate( in.endDate ), isoDate( in.startDate ) ) ), 0;
  return insertRow( op, tables::kGrants,
                    { { QStringLiteral( "program_id" ), in.programId },
                      { QStringLiteral( "nbh_id" ), in.nbhId.trimmed() },
                      { QStringLiteral( "grantee" ), in.grantee.trimmed() },
                      { QStringLiteral( "contact" ), in.contact.trimmed() },
                      { QStringLiteral( "registration_status" ), in.registrationStatus.trimmed() },
                      { QStringLiteral( "category" ), in.category.trimmed().toLower() },
                      { QStringLiteral( "award_cents" ), qint64( 0 ) },
                      { QStringLiteral( "status" ), QStringLiteral( "applied" ) },
                      { QStringLiteral( "start_date" ), isoDate( in.startDate ) },
                      { QStringLiteral( "end_date" ), isoDate( in.endDate ) },
                      { QStringLiteral( "created_at" ), op.mAt } } );
}

qint64 GrantLedger::addGrant( const GrantInput &in )
{
  mError.clear();
  STATDESK_BEGIN_OP( tr( "Add grant for %1" ).arg( in.nbhId ) )
  const qint64 id = doAddGrant( op, in );
  return id && op.commit() ? id : 0;
}

bool GrantLedger::checkAward( qint64 grantId, qint64 cents )
{
  const QVariantMap g = row( tables::kGrants, grantId );
  if ( g.isEmpty() )
    return fail( tr( "Grant %1 does not exist" ).arg( grantId ) );
  const QString status = g.value( QStringLiteral( "status" ) ).toString();
  if ( status != QLatin1String( "applied" ) && status != QLatin1String( "awarded" ) && status != QLatin1String( "active" ) )
    return fail( tr( "Grant %1 is %2: its award can no longer change" ).arg( grantId ).arg( status ) );
  if ( cents <= 0 )
    return fail( tr( "An award must be more than $0.00" ) );
  const QVariantMap p = row( tables::kPrograms, g.value( QStringLiteral( "program_id" ) ).toLongLong() );
  const qint64 cap = p.value( QStringLiteral( "cap_cents" ) ).toLongLong();
  const qint64 budget = p.value( QStringLiteral( "budget_cents" ) ).toLongLong();
  const QString counted = QStringLiteral( "status IN ('awarded','active','closed')" );

  SqliteStatement sameNbh( mDb, QStringLiteral( "SELECT COALESCE(SUM(award_cents),0) FROM grants WHERE program_id = ? AND nbh_id = ? AND fid != ? AND %1" ).arg( counted ) );
  sameNbh.bindInt64( 1, g.value( QStringLiteral( "program_id" ) ).toLongLong() );
  sameNbh.bindText( 2, g.value( QStringLiteral( "nbh_id" ) ).toString() );
  sameNbh.bindInt64( 3, grantId );
  const qint64 other = sameNbh.next() ? sameNbh.int64( 0 ) : 0;
  if ( other + cents > cap )
  {
    if ( other == 0 )
      return fail( tr( "Award of %1 exceeds the %2 cap by %3" ).arg( formatMoney( cents ), formatMoney( cap ), formatMoney( cents - cap ) ) );
    return fail( tr( "Award of %1 plus %2 already awarded to neighborhood %3 in this program exceeds the %4 cap by %5" )
                     .arg( formatMoney( cents ), formatMoney( other ), g.value( QStringLiteral( "nbh_id" ) ).toString(), formatMoney( cap ),
                           formatMoney( other + cents - cap ) ) );
  }
  SqliteStatement prog( mDb, QStringLiteral( "SELECT COALESCE(SUM(award_cents),0) FROM grants WHERE program_id = ? AND fid != ? AND %1" ).arg( counted ) );
  prog.bindInt64( 1, g.value( QStringLiteral( "program_id" ) ).toLongLong() );
  prog.bindInt64( 2, grantId );
  const qint64 awarded = prog.next() ? prog.int64( 0 ) : 0;
  if ( awarded + cents > budget )
    return fail( tr( "Award of %1 would bring the program's awards to %2, exceeding its %3 budget by %4" )
                     .arg( formatMoney( cents ), formatMoney( awarded + cents ), formatMoney( budget ), formatMoney( awarded + cents - budget ) ) );
  const qint64 disbursed = sumCents( QStringLiteral( "SELECT COALESCE(SUM(amount_cents),0) FROM disbursements WHERE grant_id = ?" ), grantId );
  if ( cents < disbursed )
    return fail( tr( "Award of %1 is %2 less than the %3 already disbursed" ).arg( formatMoney( cents ), formatMoney( disbursed - cents ), formatMoney( disbursed ) ) );
  return true;
}

bool GrantLedger::doAward( Operation &op, qint64 grantId, qint64 cents )
{
  if ( !checkAward( grantId, cents ) )
    return false;
  QVariantMap values{ { QStringLiteral( "award_cents" ), cents } };
  if ( grantStatus( grantId ) == QLatin1String( "applied" ) )
    values.insert( QStringLiteral( "status" ), QStringLiteral( "awarded" ) );
  return updateRow( op, tables::kGrants, grantId, values );
}

bool GrantLedger::award( qint64 grantId, qint64 cents )
{
  mError.clear();
  STATDESK_BEGIN_OP( tr( "Award %1 to grant %2" ).arg( formatMoney( cents ) ).arg( grantId ) )
  return doAward( op, grantId, cents ) && op.commit();
}

bool GrantLedger::doSetStatus( Operation &op, qint64 grantId, const QString &status )
{
  const QString from = grantStatus( grantId );
  if ( from.isEmpty() )
    return fail( tr( "Grant %1 does not exist" ).arg( grantId ) );
  const QString refusal = transitionRefusal( from, status );
  if ( !refusal.isEmpty() )
    return fail( tr( "Grant %1: %2" ).arg( grantId ).arg( refusal ) );
  if ( status == QLatin1String( "awarded" ) && grantAward( grantId ) <= 0 )
    return fail( tr( "Grant %1 has no award amount yet: set the award (which marks it awarded)" ).arg( grantId ) );
  return updateRow( op, tables::kGrants, grantId, { { QStringLiteral( "status" ), status } } );
}

bool GrantLedger::setStatus( qint64 grantId, const QString &status, const QString &reason )
{
  mError.clear();
  STATDESK_BEGIN_OP( tr( "Grant %1 %2" ).arg( grantId ).arg( status ) )
  if ( !doSetStatus( op, grantId, status ) )
    return false;
  if ( !reason.trimmed().isEmpty() && !insertRow( op, tables::kNotes, { { QStringLiteral( "grant_id" ), grantId }, { QStringLiteral( "written_at" ), op.mAt }, { QStringLiteral( "author" ), mUser }, { QStringLiteral( "body" ), tr( "Status %1: %2" ).arg( status, reason.trimmed() ) } } ) )
    return false;
  return op.commit();
}

qint64 GrantLedger::addBudgetLine( qint64 grantId, const QString &category, const QString &description, qint64 cents )
{
  mError.clear();
  if ( !ensureTables() )
    return 0;
  if ( grantStatus( grantId ).isEmpty() )
    return fail( tr( "Grant %1 does not exist" ).arg( grantId ) ), 0;
  if ( cents <= 0 )
    return fail( tr( "A budget line must be more than $0.00" ) ), 0;
  const qint64 award = grantAward( grantId );
  const qint64 lines = sumCents( QStringLiteral( "SELECT COALESCE(SUM(amount_cents),0) FROM budget_lines WHERE grant_id = ?" ), grantId );
  if ( award > 0 && lines + cents > award )
    return fail( tr( "Budget line of %1 would bring the budget to %2, exceeding the %3 award by %4" )
                     .arg( formatMoney( cents ), formatMoney( lines + cents ), formatMoney( award ), formatMoney( lines + cents - award ) ) ),
           0;
  STATDESK_BEGIN_OP( tr( "Budget line %1 for grant %2" ).arg( formatMoney( cents ) ).arg( grantId ) )
  const qint64 id = insertRow( op, tables::kBudgetLines, { { QStringLiteral( "grant_id" ), grantId }, { QStringLiteral( "category" ), category.trimmed() }, { QStringLiteral( "description" ), description.trimmed() }, { QStringLiteral( "amount_cents" ), cents } } );
  return id && op.commit() ? id : 0;
}

qint64 GrantLedger::doDisburse( Operation &op, qint64 grantId, const QDate &paidOn, qint64 cents, const QString &kind, const QString &reference )
{
  const QString status = grantStatus( grantId );
  if ( status.isEmpty() )
    return fail( tr( "Grant %1 does not exist" ).arg( grantId ) ), 0;
  if ( status != QLatin1String( "awarded" ) && status != QLatin1String( "active" ) )
    return fail( tr( "Grant %1 is %2: money is disbursed only to awarded or active grants" ).arg( grantId ).arg( status ) ), 0;
  if ( cents <= 0 )
    return fail( tr( "A disbursement must be more than $0.00" ) ), 0;
  const QString k = kind.trimmed().toLower();
  if ( k != QLatin1String( "advance" ) && k != QLatin1String( "reimbursement" ) )
    return fail( tr( "A disbursement is an advance or a reimbursement, not \"%1\"" ).arg( kind ) ), 0;
  if ( !paidOn.isValid() )
    return fail( tr( "A disbursement needs a date" ) ), 0;
  const qint64 award = grantAward( grantId );
  const qint64 paid = sumCents( QStringLiteral( "SELECT COALESCE(SUM(amount_cents),0) FROM disbursements WHERE grant_id = ?" ), grantId );
  if ( paid + cents > award )
    return fail( tr( "Disbursement of %1 would bring grant %2's disbursements to %3, exceeding its %4 award by %5" )
                     .arg( formatMoney( cents ) )
                     .arg( grantId )
                     .arg( formatMoney( paid + cents ), formatMoney( award ), formatMoney( paid + cents - award ) ) ),
           0;
  return insertRow( op, tables::kDisbursements, { { QStringLiteral( "grant_id" ), grantId }, { QStringLiteral( "paid_on" ), isoDate( paidOn ) }, { QStringLiteral( "amount_cents" ), cents }, { QStringLiteral( "kind" ), k }, { QStringLiteral( "reference" ), reference.trimmed() } } );
}

qint64 GrantLedger::disburse( qint64 grantId, const QDate &paidOn, qint64 cents, const QString &kind, const QString &reference )
{
  mError.clear();
  STATDESK_BEGIN_OP( tr( "Disburse %1 to grant %2" ).arg( formatMoney( cents ) ).arg( grantId ) )
  const qint64 id = doDisburse( op, grantId, paidOn, cents, kind, reference );
  return id && op.commit() ? id : 0;
}

qint64 GrantLedger::addExpense( const ExpenseInput &in )
{
  mError.clear();
  if ( !ensureTables() )
    return 0;
  const QString status = grantStatus( in.grantId );
  if ( status.isEmpty() )
    return fail( tr( "Grant %1 does not exist" ).arg( in.grantId ) ), 0;
  if ( status != QLatin1String( "awarded" ) && status != QLatin1String( "active" ) )
    return fail( tr( "Grant %1 is %2: expenses are recorded for awarded or active grants" ).arg( in.grantId ).arg( status ) ), 0;
  if ( in.amountCents <= 0 )
    return fail( tr( "An expense must be more than $0.00" ) ), 0;
  if ( !in.spentOn.isValid() )
    return fail( tr( "An expense needs a date" ) ), 0;
  if ( in.budgetLineId > 0 && row( tables::kBudgetLines, in.budgetLineId ).value( QStringLiteral( "grant_id" ) ).toLongLong() != in.grantId )
    return fail( tr( "Budget line %1 does not belong to grant %2" ).arg( in.budgetLineId ).arg( in.grantId ) ), 0;
  STATDESK_BEGIN_OP( tr( "Expense %1 for grant %2" ).arg( formatMoney( in.amountCents ) ).arg( in.grantId ) )
  const qint64 id = insertRow( op, tables::kExpenses,
                               { { QStringLiteral( "grant_id" ), in.grantId }, { QStringLiteral( "spent_on" ), isoDate( in.spentOn ) }, { QStringLiteral( "amount_cents" ), in.amountCents }, { QStringLiteral( "vendor" ), in.vendor.trimmed() }, { QStringLiteral( "description" ), in.description.trimmed() }, { QStringLiteral( "budget_line_id" ), in.budgetLineId > 0 ? QVariant( in.budgetLineId ) : QVariant() } } );
  return id && op.commit() ? id : 0;
}

qint64 GrantLedger::attachReceipt( qint64 expenseId, const QString &fileName, const QString &mimeType, const QByteArray &content )
{
  mError.clear();
  if ( !ensureTables() )
    return 0;
  const QVariantMap e = row( tables::kExpenses, expenseId );
  if ( e.isEmpty() )
    return fail( tr( "Expense %1 does not exist" ).arg( expenseId ) ), 0;
  if ( fileName.trimmed().isEmpty() )
    return fail( tr( "A receipt needs a file name" ) ), 0;
  if ( content.isEmpty() )
    return fail( tr( "The receipt file \"%1\" is empty" ).arg( fileName ) ), 0;
  const QString sha = QString::fromLatin1( QCryptographicHash::hash( content, QCryptographicHash::Sha256 ).toHex() );
  STATDESK_BEGIN_OP( tr( "Receipt %1 for expense %2" ).arg( fileName ).arg( expenseId ) )
  // Bytes are content-addressed and never deleted, so undoing and redoing an attachment (or a
  // removal) needs no copy of the file in the log.
  SqliteStatement blob( mDb, QStringLiteral( "INSERT OR IGNORE INTO receipt_files (sha256, size_bytes, content) VALUES (?, ?, ?)" ) );
  blob.bindText( 1, sha );
  blob.bindInt64( 2, content.size() );
  blob.bindBlob( 3, content );
  if ( !blob.exec() )
    return fail( blob.errorString() ), 0;
  const qint64 id = insertRow( op, tables::kReceipts,
                               { { QStringLiteral( "grant_id" ), e.value( QStringLiteral( "grant_id" ) ).toLongLong() },
                                 { QStringLiteral( "expense_id" ), expenseId },
                                 { QStringLiteral( "file_name" ), fileName.trimmed() },
                                 { QStringLiteral( "mime_type" ), mimeType.isEmpty() ? QStringLiteral( "application/octet-stream" ) : mimeType },
                                 { QStringLiteral( "sha256" ), sha },
                                 { QStringLiteral( "size_bytes" ), qint64( content.size() ) },
                                 { QStringLiteral( "attached_at" ), op.mAt } } );
  return id && op.commit() ? id : 0;
}

bool GrantLedger::receiptContent( qint64 receiptId, QByteArray *content, QString *fileName, QString *mimeType )
{
  const QVariantMap r = row( tables::kReceipts, receiptId );
  if ( r.isEmpty() )
    return fail( tr( "Receipt %1 does not exist" ).arg( receiptId ) );
  SqliteStatement st( mDb, QStringLiteral( "SELECT content FROM receipt_files WHERE sha256 = ?" ) );
  st.bindText( 1, r.value( QStringLiteral( "sha256" ) ).toString() );
  if ( !st.next() )
    return fail( tr( "The file of receipt %1 is missing from the project" ).arg( receiptId ) );
  const QByteArray bytes = st.blob( 0 );
  if ( QString::fromLatin1( QCryptographicHash::hash( bytes, QCryptographicHash::Sha256 ).toHex() ) != r.value( QStringLiteral( "sha256" ) ).toString() )
    return fail( tr( "The file of receipt %1 does not match its SHA-256: it was altered" ).arg( receiptId ) );
  if ( content )
    *content = bytes;
  if ( fileName )
    *fileName = r.value( QStringLiteral( "file_name" ) ).toString();
  if ( mimeType )
    *mimeType = r.value( QStringLiteral( "mime_type" ) ).toString();
  return true;
}

qint64 GrantLedger::addInKindMatch( qint64 grantId, const QDate &givenOn, const QString &description, qint64 valueCents, const QString &source )
{
  mError.clear();
  if ( !ensureTables() )
    return 0;
  if ( grantStatus( grantId ).isEmpty() )
    return fail( tr( "Grant %1 does not exist" ).arg( grantId ) ), 0;
  if ( valueCents <= 0 )
    return fail( tr( "An in-kind contribution must be worth more than $0.00" ) ), 0;
  STATDESK_BEGIN_OP( tr( "In-kind match %1 for grant %2" ).arg( formatMoney( valueCents ) ).arg( grantId ) )
  const qint64 id = insertRow( op, tables::kInKindMatch, { { QStringLiteral( "grant_id" ), grantId }, { QStringLiteral( "given_on" ), isoDate( givenOn ) }, { QStringLiteral( "description" ), description.trimmed() }, { QStringLiteral( "value_cents" ), valueCents }, { QStringLiteral( "source" ), source.trimmed() } } );
  return id && op.commit() ? id : 0;
}

qint64 GrantLedger::addMilestone( qint64 grantId, const QString &title, const QDate &dueOn )
{
  mError.clear();
  if ( !ensureTables() )
    return 0;
  if ( grantStatus( grantId ).isEmpty() )
    return fail( tr( "Grant %1 does not exist" ).arg( grantId ) ), 0;
  if ( title.trimmed().isEmpty() )
    return fail( tr( "A milestone needs a title" ) ), 0;
  if ( !dueOn.isValid() )
    return fail( tr( "A milestone needs a due date" ) ), 0;
  STATDESK_BEGIN_OP( tr( "Milestone \"%1\" for grant %2" ).arg( title.trimmed() ).arg( grantId ) )
  const qint64 id = insertRow( op, tables::kMilestones, { { QStringLiteral( "grant_id" ), grantId }, { QStringLiteral( "title" ), title.trimmed() }, { QStringLiteral( "due_on" ), isoDate( dueOn ) }, { QStringLiteral( "completed_on" ), QVariant() } } );
  return id && op.commit() ? id : 0;
}

bool GrantLedger::completeMilestone( qint64 milestoneId, const QDate &completedOn )
{
  mError.clear();
  if ( !ensureTables() )
    return false;
  if ( row( tables::kMilestones, milestoneId ).isEmpty() )
    return fail( tr( "Milestone %1 does not exist" ).arg( milestoneId ) );
  if ( !completedOn.isValid() )
    return fail( tr( "A completion needs a date" ) );
  STATDESK_BEGIN_OP( tr( "Complete milestone %1" ).arg( milestoneId ) )
  return updateRow( op, tables::kMilestones, milestoneId, { { QStringLiteral( "completed_on" ), isoDate( completedOn ) } } ) && op.commit();
}

qint64 GrantLedger::addNote( qint64 grantId, const QString &text )
{
  mError.clear();
  if ( !ensureTables() )
    return 0;
  if ( grantStatus( grantId ).isEmpty() )
    return fail( tr( "Grant %1 does not exist" ).arg( grantId ) ), 0;
  if ( text.trimmed().isEmpty() )
    return fail( tr( "The note is empty" ) ), 0;
  STATDESK_BEGIN_OP( tr( "Note on grant %1" ).arg( grantId ) )
  const qint64 id = insertRow( op, tables::kNotes, { { QStringLiteral( "grant_id" ), grantId }, { QStringLiteral( "written_at" ), op.mAt }, { QStringLiteral( "author" ), mUser }, { QStringLiteral( "body" ), text.trimmed() } } );
  return id && op.commit() ? id : 0;
}

qint64 GrantLedger::addSite( qint64 grantId, const QgsGeometry &geometry, const QString &label, const QString &kind )
{
  mError.clear();
  if ( !ensureTables() )
    return 0;
  if ( grantStatus( grantId ).isEmpty() )
    return fail( tr( "Grant %1 does not exist" ).arg( grantId ) ), 0;
  if ( geometry.isNull() || geometry.isEmpty() )
    return fail( tr( "A grant site needs a point or a polygon" ) ), 0;
  const QgsWkbTypes::GeometryType type = geometry.type();
  if ( type != QgsWkbTypes::PointGeometry && type != QgsWkbTypes::PolygonGeometry )
    return fail( tr( "A grant site is a point or a polygon" ) ), 0;
  STATDESK_BEGIN_OP( tr( "Site \"%1\" for grant %2" ).arg( label ).arg( grantId ) )
  const qint64 id = insertRow( op, tables::kGrantSites, { { QStringLiteral( "geom" ), gpkgGeometryBlob( geometry, mProject.srsId() ) }, { QStringLiteral( "grant_id" ), grantId }, { QStringLiteral( "label" ), label.trimmed() }, { QStringLiteral( "kind" ), kind.trimmed() } } );
  if ( !id )
    return 0;
  if ( !mProject.refreshContents( tables::kGrantSites ) )
    return fail( mProject.errorString() ), 0;
  return op.commit() ? id : 0;
}

bool GrantLedger::removeRow( const QString &table, qint64 fid )
{
  mError.clear();
  if ( !isChildTable( table ) )
    return fail( tr( "Rows of %1 cannot be removed (programs stay; a grant is withdrawn or declined instead)" ).arg( table ) );
  if ( !ensureTables() )
    return false;
  if ( table == tables::kExpenses )
  {
    const qint64 receipts = sumCents( QStringLiteral( "SELECT COUNT(*) FROM receipts WHERE expense_id = ?" ), fid );
    if ( receipts > 0 )
      return fail( tr( "Expense %1 has %2 receipt(s): remove them first" ).arg( fid ).arg( receipts ) );
  }
  STATDESK_BEGIN_OP( tr( "Remove %1 %2" ).arg( table ).arg( fid ) )
  return deleteRow( op, table, fid ) && op.commit();
}

// --- undo / redo ------------------------------------------------------------------------------

GrantLedger::StackState GrantLedger::stacks() const
{
  StackState s;
  if ( !hasLedger() )
    return s;
  SqliteStatement st( mDb, QStringLiteral( "SELECT op_id, MIN(op_kind), MIN(op_target) FROM audit_log GROUP BY op_id ORDER BY op_id" ) );
  while ( st.next() )
  {
    const qint64 id = st.int64( 0 );
    const QString kind = st.text( 1 );
    const qint64 target = st.int64( 2 );
    if ( kind == QLatin1String( "undo" ) )
    {
      s.undo.removeAll( target );
      s.redo << target;
    }
    else if ( kind == QLatin1String( "redo" ) )
    {
      s.redo.removeAll( target );
      s.undo << target;
    }
    else
    {
      s.undo << id;
      s.redo.clear();
    }
  }
  return s;
}

QString GrantLedger::opLabel( qint64 opId ) const
{
  SqliteStatement st( mDb, QStringLiteral( "SELECT op_label FROM audit_log WHERE op_id = ? LIMIT 1" ) );
  st.bindInt64( 1, opId );
  return st.next() ? st.text( 0 ) : QString();
}

bool GrantLedger::canUndo() const
{
  return !stacks().undo.isEmpty();
}
bool GrantLedger::canRedo() const
{
  return !stacks().redo.isEmpty();
}
QString GrantLedger::undoText() const
{
  const StackState s = stacks();
  return s.undo.isEmpty() ? QString() : opLabel( s.undo.last() );
}
QString GrantLedger::redoText() const
{
  const StackState s = stacks();
  return s.redo.isEmpty() ? QString() : opLabel( s.redo.last() );
}

bool GrantLedger::applyOp( qint64 opId, bool forward, const QString &kind )
{
  struct Entry
  {
    QString table;
    qint64 row;
    QString before, after;
  };
  QVector<Entry> entries;
  {
    SqliteStatement st( mDb, QStringLiteral( "SELECT table_name, row_id, before_json, after_json FROM audit_log WHERE op_id = ? ORDER BY seq" ) );
    st.bindInt64( 1, opId );
    while ( st.next() )
      entries.push_back( { st.text( 0 ), st.int64( 1 ), st.text( 2 ), st.text( 3 ) } );
  }
  if ( !forward )
    std::reverse( entries.begin(), entries.end() );
  const QString label = opLabel( opId );
  Operation op( *this, kind, opId, ( forward ? tr( "Redo: %1" ) : tr( "Undo: %1" ) ).arg( label ) );
  if ( !op.isActive() )
    return fail( tr( "Could not start a transaction: %1" ).arg( mDb.errorString() ) );
  for ( const Entry &e : entries )
  {
    const QString expected = forward ? e.before : e.after;
    const QString target = forward ? e.after : e.before;
    const QString current = rowImage( e.table, e.row );
    if ( parseImage( current ) != parseImage( expected ) )
      return fail( tr( "Cannot %1 \"%2\": %3 row %4 was changed outside the ledger since; run verify" )
                       .arg( forward ? tr( "redo" ) : tr( "undo" ), label, e.table )
                       .arg( e.row ) );
    if ( !restoreImage( e.table, e.row, target, !current.isEmpty() ) )
      return false;
    const QString action = current.isEmpty() ? QStringLiteral( "insert" ) : target.isEmpty() ? QStringLiteral( "delete" )
                                                                                             : QStringLiteral( "update" );
    if ( !appendAudit( op, e.table, e.row, action, current, rowImage( e.table, e.row ) ) )
      return false;
    if ( e.table == tables::kGrantSites && !mProject.refreshContents( tables::kGrantSites ) )
      return fail( mProject.errorString() );
  }
  return op.commit();
}

bool GrantLedger::undo()
{
  mError.clear();
  const StackState s = stacks();
  if ( s.undo.isEmpty() )
    return fail( tr( "Nothing to undo" ) );
  return applyOp( s.undo.last(), false, QStringLiteral( "undo" ) );
}

bool GrantLedger::redo()
{
  mError.clear();
  const StackState s = stacks();
  if ( s.redo.isEmpty() )
    return fail( tr( "Nothing to redo" ) );
  return applyOp( s.redo.last(), true, QStringLiteral( "redo" ) );
}

// --- verification -------------------------------------------------------------------------------

VerifyResult GrantLedger::verify() const
{
  VerifyResult r;
  auto problem = [&r]( const QString &table, qint64 row, qint64 seq, const QString &msg )
  {
    r.ok = false;
    r.problems.push_back( { table, row, seq, msg } );
  };
  if ( !hasLedger() )
    return r;
  QHash<QString, QHash<qint64, QString>> last; // table -> row -> last after image ("" = deleted)
  QString prev = kGenesis;
  qint64 expectedSeq = 1;
  SqliteStatement st( mDb, QStringLiteral( "SELECT seq, op_id, op_kind, op_target, op_label, who, at, table_name, row_id, action, before_json, "
                                           "after_json, prev_hash, hash FROM audit_log ORDER BY seq" ) );
  while ( st.next() )
  {
    const qint64 seq = st.int64( 0 );
    if ( seq != expectedSeq )
      problem( tables::kAuditLog, 0, seq, QObject::tr( "audit entries %1 to %2 are missing (deleted from the log)" ).arg( expectedSeq ).arg( seq - 1 ) );
    expectedSeq = seq + 1;
    const QString table = st.text( 7 );
    const qint64 row = st.int64( 8 );
    if ( st.text( 12 ) != prev )
      problem( tables::kAuditLog, row, seq, QObject::tr( "audit entry %1 does not follow the previous entry's hash (chain broken)" ).arg( seq ) );
    const QString hash = entryHash( seq, st.int64( 1 ), st.text( 2 ), st.int64( 3 ), st.text( 4 ), st.text( 5 ), st.text( 6 ), table, row, st.text( 9 ),
                                    st.text( 10 ), st.text( 11 ), st.text( 12 ) );
    if ( hash != st.text( 13 ) )
      problem( tables::kAuditLog, row, seq, QObject::tr( "audit entry %1 was altered (its hash does not match its content)" ).arg( seq ) );
    prev = st.text( 13 );
    last[table][row] = st.text( 11 );
    ++r.entries;
  }
  r.headHash = r.entries > 0 ? prev : QString();
  const QString head = mProject.metadata( kHeadKey );
  if ( r.entries > 0 && head != QStringLiteral( "%1:%2" ).arg( expectedSeq - 1 ).arg( prev ) )
    problem( tables::kAuditLog, 0, 0, QObject::tr( "the log ends at entry %1 but the project recorded %2 as its last entry (entries removed from the end?)" ).arg( expectedSeq - 1 ).arg( head.section( QLatin1Char( ':' ), 0, 0 ) ) );

  for ( const QString &table : tables::audited() )
  {
    if ( !mDb.tableExists( table ) )
      continue;
    const QHash<qint64, QString> images = last.value( table );
    QSet<qint64> seen;
    SqliteStatement rows( mDb, QStringLiteral( "SELECT fid FROM \"%1\" ORDER BY fid" ).arg( table ) );
    while ( rows.next() )
    {
      const qint64 fid = rows.int64( 0 );
      seen.insert( fid );
      const QString current = rowImage( table, fid );
      auto it = images.find( fid );
      if ( it == images.end() )
        problem( table, fid, 0, QObject::tr( "%1 row %2 is not in the audit log (added outside the ledger)" ).arg( table ).arg( fid ) );
      else if ( it->isEmpty() )
        problem( table, fid, 0, QObject::tr( "%1 row %2 was deleted according to the log but exists" ).arg( table ).arg( fid ) );
      else
      {
        const QJsonObject now = parseImage( current );
        const QJsonObject logged = parseImage( *it );
        if ( now != logged )
        {
          QStringList diffs;
          for ( auto k = logged.begin(); k != logged.end(); ++k )
            if ( now.value( k.key() ) != k.value() )
              diffs << QStringLiteral( "%1: %2 -> %3" )
                           .arg( k.key(), QString::fromUtf8( QJsonDocument( QJsonArray{ k.value() } ).toJson( QJsonDocument::Compact ) ).mid( 1 ).chopped( 1 ),
                                 QString::fromUtf8( QJsonDocument( QJsonArray{ now.value( k.key() ) } ).toJson( QJsonDocument::Compact ) ).mid( 1 ).chopped( 1 ) );
          problem( table, fid, 0, QObject::tr( "%1 row %2 was edited outside the ledger (%3)" ).arg( table ).arg( fid ).arg( diffs.join( QStringLiteral( "; " ) ) ) );
        }
      }
    }
    for ( auto it = images.begin(); it != images.end(); ++it )
      if ( !it->isEmpty() && !seen.contains( it.key() ) )
        problem( table, it.key(), 0, QObject::tr( "%1 row %2 was deleted outside the ledger" ).arg( table ).arg( it.key() ) );
  }
  // Receipt files: every receipt's bytes present and matching its SHA-256.
  SqliteStatement rf( mDb, QStringLiteral( "SELECT r.fid, r.sha256, f.content FROM receipts r LEFT JOIN receipt_files f ON f.sha256 = r.sha256" ) );
  while ( rf.next() )
  {
    if ( rf.isNull( 2 ) )
      problem( tables::kReceipts, rf.int64( 0 ), 0, QObject::tr( "the file of receipt %1 is missing" ).arg( rf.int64( 0 ) ) );
    else if ( QString::fromLatin1( QCryptographicHash::hash( rf.blob( 2 ), QCryptographicHash::Sha256 ).toHex() ) != rf.text( 1 ) )
      problem( tables::kReceipts, rf.int64( 0 ), 0, QObject::tr( "the file of receipt %1 was altered (SHA-256 differs)" ).arg( rf.int64( 0 ) ) );
  }
  return r;
}

// --- figures ------------------------------------------------------------------------------------

QVector<GrantFigures> GrantLedger::grantFigures() const
{
  QVector<GrantFigures> out;
  if ( !hasLedger() )
    return out;
  SqliteStatement st( mDb, QStringLiteral(
                               "SELECT g.fid, g.program_id, p.name, g.nbh_id, (SELECT n.name FROM \"%1\" n WHERE n.nbh_id = g.nbh_id LIMIT 1), g.grantee, g.status, "
                               "g.category, g.award_cents, "
                               "(SELECT COALESCE(SUM(amount_cents),0) FROM disbursements d WHERE d.grant_id = g.fid), "
                               "(SELECT COALESCE(SUM(amount_cents),0) FROM expenses e WHERE e.grant_id = g.fid), "
                               "(SELECT COALESCE(SUM(amount_cents),0) FROM expenses e WHERE e.grant_id = g.fid AND EXISTS (SELECT 1 FROM receipts r WHERE r.expense_id = e.fid)), "
                               "(SELECT COALESCE(SUM(value_cents),0) FROM in_kind_match m WHERE m.grant_id = g.fid) "
                               "FROM grants g LEFT JOIN programs p ON p.fid = g.program_id ORDER BY g.program_id, g.nbh_id, g.fid" )
                               .arg( schema::kNeighborhoods ) );
  while ( st.next() )
  {
    GrantFigures f;
    f.grantId = st.int64( 0 );
    f.programId = st.int64( 1 );
    f.program = st.text( 2 );
    f.nbhId = st.text( 3 );
    f.neighborhood = st.text( 4 );
    f.grantee = st.text( 5 );
    f.status = st.text( 6 );
    f.category = st.text( 7 );
    f.awardCents = st.int64( 8 );
    f.disbursedCents = st.int64( 9 );
    f.remainingCents = f.awardCents - f.disbursedCents;
    f.expensesCents = st.int64( 10 );
    f.receiptedCents = st.int64( 11 );
    f.inKindCents = st.int64( 12 );
    out.push_back( f );
  }
  return out;
}

QVector<LedgerFlag> GrantLedger::flags( const QDate &asOf ) const
{
  QVector<LedgerFlag> out;
  if ( !hasLedger() )
    return out;
  SqliteStatement ms( mDb, QStringLiteral( "SELECT m.grant_id, g.nbh_id, m.title, m.due_on FROM milestones m JOIN grants g ON g.fid = m.grant_id "
                                           "WHERE m.completed_on IS NULL AND m.due_on < ? AND g.status IN ('awarded','active') ORDER BY m.due_on" ) );
  ms.bindText( 1, isoDate( asOf ) );
  while ( ms.next() )
  {
    const QDate due = QDate::fromString( ms.text( 3 ), Qt::ISODate );
    out.push_back( { QStringLiteral( "overdue_milestone" ), ms.int64( 0 ), ms.text( 1 ),
                     QObject::tr( "Grant %1 (%2): milestone \"%3\" was due %4, %5 days ago" )
                         .arg( ms.int64( 0 ) )
                         .arg( ms.text( 1 ), ms.text( 2 ), ms.text( 3 ) )
                         .arg( due.daysTo( asOf ) ),
                     0 } );
  }
  const QVector<GrantFigures> figures = grantFigures();
  for ( const GrantFigures &f : figures )
  {
    if ( f.disbursedCents > f.receiptedCents )
      out.push_back( { QStringLiteral( "unreceipted_disbursement" ), f.grantId, f.nbhId,
                       QObject::tr( "Grant %1 (%2): %3 disbursed but only %4 of expenses have receipts (%5 without receipts)" )
                           .arg( f.grantId )
                           .arg( f.nbhId, formatMoney( f.disbursedCents ), formatMoney( f.receiptedCents ), formatMoney( f.disbursedCents - f.receiptedCents ) ),
                       f.disbursedCents - f.receiptedCents } );
  }
  SqliteStatement mm( mDb, QStringLiteral( "SELECT g.fid, g.nbh_id FROM grants g JOIN programs p ON p.fid = g.program_id WHERE p.match_required = 1 "
                                           "AND g.status IN ('active','closed') AND NOT EXISTS (SELECT 1 FROM in_kind_match m WHERE m.grant_id = g.fid)" ) );
  while ( mm.next() )
    out.push_back( { QStringLiteral( "match_missing" ), mm.int64( 0 ), mm.text( 1 ),
                     QObject::tr( "Grant %1 (%2): the program requires a match but none is recorded" ).arg( mm.int64( 0 ) ).arg( mm.text( 1 ) ), 0 } );
  SqliteStatement late( mDb, QStringLiteral( "SELECT fid, nbh_id, end_date FROM grants WHERE status IN ('awarded','active') AND end_date != '' AND end_date < ?" ) );
  late.bindText( 1, isoDate( asOf ) );
  while ( late.next() )
    out.push_back( { QStringLiteral( "overdue_completion" ), late.int64( 0 ), late.text( 1 ),
                     QObject::tr( "Grant %1 (%2): the completion deadline %3 has passed and the grant is not closed" )
                         .arg( late.int64( 0 ) )
                         .arg( late.text( 1 ), late.text( 2 ) ),
                     0 } );
  return out;
}

Dashboard GrantLedger::dashboard( const QDate &asOf ) const
{
  Dashboard d;
  d.grants = grantFigures();
  d.flags = flags( asOf );
  if ( !hasLedger() )
    return d;
  SqliteStatement st( mDb, QStringLiteral( "SELECT fid, name, cap_cents, budget_cents FROM programs ORDER BY fid" ) );
  while ( st.next() )
  {
    ProgramFigures p;
    p.programId = st.int64( 0 );
    p.name = st.text( 1 );
    p.capCents = st.int64( 2 );
    p.budgetCents = st.int64( 3 );
    for ( const GrantFigures &g : std::as_const( d.grants ) )
    {
      if ( g.programId != p.programId )
        continue;
      ++p.grants;
      if ( g.status == QLatin1String( "awarded" ) || g.status == QLatin1String( "active" ) || g.status == QLatin1String( "closed" ) )
        p.awardedCents += g.awardCents;
      p.disbursedCents += g.disbursedCents;
    }
    p.unallocatedCents = p.budgetCents - p.awardedCents;
    p.remainingCents = p.awardedCents - p.disbursedCents;
    d.programs.push_back( p );
  }
  return d;
}

QJsonObject Dashboard::toJson() const
{
  QJsonArray programsJson, grantsJson, flagsJson;
  for ( const ProgramFigures &p : programs )
    programsJson.append( QJsonObject{ { QStringLiteral( "id" ), p.programId }, { QStringLiteral( "name" ), p.name }, { QStringLiteral( "grants" ), p.grants }, { QStringLiteral( "cap" ), formatMoneyPlain( p.capCents ) }, { QStringLiteral( "budget" ), formatMoneyPlain( p.budgetCents ) }, { QStringLiteral( "awarded" ), formatMoneyPlain( p.awardedCents ) }, { QStringLiteral( "unallocated" ), formatMoneyPlain( p.unallocatedCents ) }, { QStringLiteral( "disbursed" ), formatMoneyPlain( p.disbursedCents ) }, { QStringLiteral( "remaining" ), formatMoneyPlain( p.remainingCents ) }, { QStringLiteral( "awarded_cents" ), p.awardedCents }, { QStringLiteral( "disbursed_cents" ), p.disbursedCents } } );
  for ( const GrantFigures &g : grants )
    grantsJson.append( QJsonObject{ { QStringLiteral( "id" ), g.grantId }, { QStringLiteral( "program" ), g.program }, { QStringLiteral( "nbh_id" ), g.nbhId }, { QStringLiteral( "neighborhood" ), g.neighborhood }, { QStringLiteral( "grantee" ), g.grantee }, { QStringLiteral( "status" ), g.status }, { QStringLiteral( "category" ), g.category }, { QStringLiteral( "award" ), formatMoneyPlain( g.awardCents ) }, { QStringLiteral( "disbursed" ), formatMoneyPlain( g.disbursedCents ) }, { QStringLiteral( "remaining" ), formatMoneyPlain( g.remainingCents ) }, { QStringLiteral( "expenses" ), formatMoneyPlain( g.expensesCents ) }, { QStringLiteral( "receipted" ), formatMoneyPlain( g.receiptedCents ) }, { QStringLiteral( "in_kind" ), formatMoneyPlain( g.inKindCents ) }, { QStringLiteral( "award_cents" ), g.awardCents }, { QStringLiteral( "disbursed_cents" ), g.disbursedCents } } );
  for ( const LedgerFlag &f : flags )
    flagsJson.append( QJsonObject{ { QStringLiteral( "kind" ), f.kind }, { QStringLiteral( "grant" ), f.grantId }, { QStringLiteral( "nbh_id" ), f.nbhId }, { QStringLiteral( "message" ), f.message } } );
  return QJsonObject{ { QStringLiteral( "programs" ), programsJson }, { QStringLiteral( "grants" ), grantsJson }, { QStringLiteral( "flags" ), flagsJson } };
}

// --- CSV ---------------------------------------------------------------------------------------

bool GrantLedger::exportCsv( const QString &path )
{
  QSaveFile file( path );
  if ( !file.open( QIODevice::WriteOnly ) )
    return fail( tr( "Cannot write %1: %2" ).arg( path, file.errorString() ) );
  const QStringList header{ QStringLiteral( "grant_id" ), QStringLiteral( "program" ), QStringLiteral( "nbh_id" ), QStringLiteral( "neighborhood" ),
                            QStringLiteral( "grantee" ), QStringLiteral( "contact" ), QStringLiteral( "registration" ), QStringLiteral( "category" ),
                            QStringLiteral( "status" ), QStringLiteral( "start_date" ), QStringLiteral( "end_date" ), QStringLiteral( "award" ),
                            QStringLiteral( "disbursed" ), QStringLiteral( "remaining" ), QStringLiteral( "expenses" ), QStringLiteral( "receipted" ),
                            QStringLiteral( "in_kind" ) };
  QByteArray out = csvLine( header );
  const QVector<GrantFigures> figures = grantFigures();
  for ( const GrantFigures &f : figures )
  {
    const QVariantMap g = row( tables::kGrants, f.grantId );
    out += csvLine( { QString::number( f.grantId ), f.program, f.nbhId, f.neighborhood, f.grantee, g.value( QStringLiteral( "contact" ) ).toString(),
                      g.value( QStringLiteral( "registration_status" ) ).toString(), f.category, f.status,
                      g.value( QStringLiteral( "start_date" ) ).toString(), g.value( QStringLiteral( "end_date" ) ).toString(),
                      formatMoneyPlain( f.awardCents ), formatMoneyPlain( f.disbursedCents ), formatMoneyPlain( f.remainingCents ),
                      formatMoneyPlain( f.expensesCents ), formatMoneyPlain( f.receiptedCents ), formatMoneyPlain( f.inKindCents ) } );
  }
  file.write( out );
  if ( !file.commit() )
    return fail( tr( "Cannot write %1: %2" ).arg( path, file.errorString() ) );
  return true;
}

ImportResult GrantLedger::importCsv( const QString &path )
{
  QFile f( path );
  if ( !f.open( QIODevice::ReadOnly ) )
  {
    ImportResult r;
    r.error = tr( "Cannot read %1: %2" ).arg( path, f.errorString() );
    mError = r.error;
    return r;
  }
  return importCsvData( f.readAll() );
}

ImportResult GrantLedger::importCsvData( const QByteArray &data )
{
  ImportResult result;
  mError.clear();
  QString parseError;
  const QVector<CsvRecord> records = parseCsv( data, &parseError );
  if ( !parseError.isEmpty() || records.isEmpty() )
  {
    result.error = parseError.isEmpty() ? tr( "The file is empty" ) : parseError;
    mError = result.error;
    return result;
  }
  QHash<QString, int> col;
  for ( int i = 0; i < records.first().fields.size(); ++i )
    col.insert( records.first().fields.at( i ).trimmed().toLower().replace( QLatin1Char( ' ' ), QLatin1Char( '_' ) ), i );
  if ( col.contains( QStringLiteral( "registration_status" ) ) && !col.contains( QStringLiteral( "registration" ) ) )
    col.insert( QStringLiteral( "registration" ), col.value( QStringLiteral( "registration_status" ) ) );
  QStringList missing;
  for ( const QString &required : { QStringLiteral( "program" ), QStringLiteral( "grantee" ) } )
    if ( !col.contains( required ) )
      missing << required;
  if ( !col.contains( QStringLiteral( "nbh_id" ) ) && !col.contains( QStringLiteral( "neighborhood" ) ) )
    missing << QStringLiteral( "nbh_id (or neighborhood)" );
  if ( !missing.isEmpty() )
  {
    result.error = tr( "The spreadsheet lacks the column(s) %1" ).arg( missing.join( QStringLiteral( ", " ) ) );
    mError = result.error;
    return result;
  }
  if ( !ensureTables() )
  {
    result.error = mError;
    return result;
  }
  Operation op( *this, QStringLiteral( "edit" ), 0, tr( "Import grants spreadsheet" ) );
  if ( !op.isActive() )
  {
    result.error = tr( "Could not start a transaction: %1" ).arg( mDb.errorString() );
    return result;
  }
  auto parseDate = []( const QString &s, QDate *d )
  {
    const QString t = s.trimmed();
    if ( t.isEmpty() )
    {
      *d = QDate();
      return true;
    }
    *d = QDate::fromString( t.left( 10 ), Qt::ISODate );
    if ( !d->isValid() )
      *d = QDate::fromString( t, QStringLiteral( "M/d/yyyy" ) );
    return d->isValid();
  };

  for ( int i = 1; i < records.size(); ++i )
  {
    const CsvRecord &rec = records.at( i );
    auto value = [&]( const QString &name )
    { return col.contains( name ) ? rec.fields.value( col.value( name ) ).trimmed() : QString(); };
    if ( rec.fields.size() == 1 && rec.fields.first().trimmed().isEmpty() )
      continue; // blank line
    ++result.rowsRead;
    auto reject = [&]( const QString &message )
    { result.errors.push_back( { rec.line, message } ); };

    GrantInput in;
    in.programId = programIdByName( value( QStringLiteral( "program" ) ) );
    if ( !in.programId )
    {
      reject( tr( "program \"%1\" does not exist (create it first)" ).arg( value( QStringLiteral( "program" ) ) ) );
      continue;
    }
    in.nbhId = value( QStringLiteral( "nbh_id" ) );
    if ( in.nbhId.isEmpty() && !value( QStringLiteral( "neighborhood" ) ).isEmpty() )
    {
      SqliteStatement n( mDb, QStringLiteral( "SELECT nbh_id FROM \"%1\" WHERE lower(name) = lower(?)" ).arg( schema::kNeighborhoods ) );
      n.bindText( 1, value( QStringLiteral( "neighborhood" ) ) );
      in.nbhId = n.next() ? n.text( 0 ) : QString();
      if ( in.nbhId.isEmpty() )
      {
        reject( tr( "neighborhood \"%1\" is not in the neighborhoods layer" ).arg( value( QStringLiteral( "neighborhood" ) ) ) );
        continue;
      }
    }
    in.grantee = value( QStringLiteral( "grantee" ) );
    in.contact = value( QStringLiteral( "contact" ) );
    in.registrationStatus = value( QStringLiteral( "registration" ) );
    in.category = value( QStringLiteral( "category" ) );
    if ( !parseDate( value( QStringLiteral( "start_date" ) ), &in.startDate ) )
    {
      reject( tr( "start_date \"%1\" is not a date (YYYY-MM-DD or M/D/YYYY)" ).arg( value( QStringLiteral( "start_date" ) ) ) );
      continue;
    }
    if ( !parseDate( value( QStringLiteral( "end_date" ) ), &in.endDate ) )
    {
      reject( tr( "end_date \"%1\" is not a date (YYYY-MM-DD or M/D/YYYY)" ).arg( value( QStringLiteral( "end_date" ) ) ) );
      continue;
    }
    qint64 award = 0, disbursed = 0;
    QString moneyError;
    if ( !value( QStringLiteral( "award" ) ).isEmpty() && !parseMoney( value( QStringLiteral( "award" ) ), &award, &moneyError ) )
    {
      reject( tr( "award: %1" ).arg( moneyError ) );
      continue;
    }
    if ( !value( QStringLiteral( "disbursed" ) ).isEmpty() && !parseMoney( value( QStringLiteral( "disbursed" ) ), &disbursed, &moneyError ) )
    {
      reject( tr( "disbursed: %1" ).arg( moneyError ) );
      continue;
    }
    QString status = value( QStringLiteral( "status" ) ).toLower();
    if ( status.isEmpty() )
      status = award > 0 ? QStringLiteral( "awarded" ) : QStringLiteral( "applied" );
    if ( !grantStatuses().contains( status ) )
    {
      reject( tr( "\"%1\" is not a grant status (one of %2)" ).arg( status, grantStatuses().join( QStringLiteral( ", " ) ) ) );
      continue;
    }

    // Apply the row inside a savepoint: the ledger's own rules decide, and a refused row leaves
    // no trace (its audit entries are rolled back with it).
    mDb.exec( QStringLiteral( "SAVEPOINT grant_row" ) );
    bool ok = true;
    const qint64 grantId = doAddGrant( op, in );
    ok = grantId > 0;
    if ( ok && award > 0 )
      ok = doAward( op, grantId, award );
    if ( ok && status != QLatin1String( "applied" ) && status != QLatin1String( "awarded" ) )
    {
      QStringList path;
      if ( status == QLatin1String( "active" ) )
        path << QStringLiteral( "active" );
      else if ( status == QLatin1String( "closed" ) )
        path << QStringLiteral( "active" ) << QStringLiteral( "closed" );
      else
        path << status; // declined / withdrawn
      for ( const QString &s : std::as_const( path ) )
        if ( ok )
          ok = doSetStatus( op, grantId, s );
    }
    if ( ok && status == QLatin1String( "awarded" ) && award <= 0 )
      ok = fail( tr( "status awarded needs an award amount" ) );
    if ( ok && disbursed > 0 )
    {
      // Money paid before a grant was closed/withdrawn: record it while the grant could receive it.
      const QString finalStatus = grantStatus( grantId );
      if ( finalStatus != QLatin1String( "awarded" ) && finalStatus != QLatin1String( "active" ) )
      {
        ok = updateRow( op, tables::kGrants, grantId, { { QStringLiteral( "status" ), QStringLiteral( "active" ) } } );
        if ( ok )
          ok = doDisburse( op, grantId, in.startDate.isValid() ? in.startDate : QDate::currentDate(), disbursed, QStringLiteral( "advance" ),
                           tr( "imported" ) ) > 0;
        if ( ok )
          ok = updateRow( op, tables::kGrants, grantId, { { QStringLiteral( "status" ), finalStatus } } );
      }
      else
        ok = doDisburse( op, grantId, in.startDate.isValid() ? in.startDate : QDate::currentDate(), disbursed, QStringLiteral( "advance" ),
                         tr( "imported" ) ) > 0;
    }
    if ( ok )
    {
      mDb.exec( QStringLiteral( "RELEASE grant_row" ) );
      ++result.imported;
    }
    else
    {
      mDb.exec( QStringLiteral( "ROLLBACK TO grant_row" ) );
      mDb.exec( QStringLiteral( "RELEASE grant_row" ) );
      // entries of the rolled back row are gone from audit_log; recount what the op still holds
      op.mEntries = static_cast<int>( mDb.scalar( QStringLiteral( "SELECT COUNT(*) FROM audit_log WHERE op_id = %1" ).arg( op.mOpId ) ).toLongLong() );
      reject( mError );
    }
  }
  mError.clear();
  if ( !op.commit() )
  {
    result.error = mError;
    return result;
  }
  result.ok = true;
  return result;
}

} // namespace statdesk::grants
