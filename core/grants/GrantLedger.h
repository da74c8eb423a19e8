/**
 * \file GrantLedger.h
 * grants/: the Neighborhood Pilot Grant ledger kept inside the project file — programs, grants,
 * budget lines, disbursements, expenses with receipts (file bytes stored in the project),
 * in-kind match, milestones, notes, grant sites (a GeoPackage layer) and a hash-chained,
 * append-only audit log of every change, with undo/redo built on that log.
 */
#pragma once

#include "statdesk_core_export.h"

#include <QByteArray>
#include <QDate>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVariantMap>
#include <QVector>

class QgsGeometry;

namespace statdesk
{
class ProjectFile;
class SqliteDatabase;
} // namespace statdesk

namespace statdesk::grants
{

//! Table names of the ledger (created on first use).
namespace tables
{
inline const QString kPrograms = QStringLiteral( "programs" );
inline const QString kGrants = QStringLiteral( "grants" );
inline const QString kBudgetLines = QStringLiteral( "budget_lines" );
inline const QString kDisbursements = QStringLiteral( "disbursements" );
inline const QString kExpenses = QStringLiteral( "expenses" );
inline const QString kReceipts = QStringLiteral( "receipts" );
inline const QString kReceiptFiles = QStringLiteral( "receipt_files" ); //!< content-addressed bytes (sha256 -> BLOB)
inline const QString kInKindMatch = QStringLiteral( "in_kind_match" );
inline const QString kMilestones = QStringLiteral( "milestones" );
inline const QString kNotes = QStringLiteral( "notes" );
inline const QString kGrantSites = QStringLiteral( "grant_sites" );
inline const QString kAuditLog = QStringLiteral( "audit_log" );
//! The audited tables, in creation order.
STATDESK_CORE_EXPORT const QStringList &audited();
} // namespace tables

//! Grant status workflow: applied → awarded → active → closed, or declined / withdrawn.
STATDESK_CORE_EXPORT const QStringList &grantStatuses();
STATDESK_CORE_EXPORT const QStringList &priorityCategories();
//! Empty when \a from → \a to is allowed, else the reason it is refused.
STATDESK_CORE_EXPORT QString transitionRefusal( const QString &from, const QString &to );

struct ProgramInput
{
  QString name;
  qint64 capCents = 0;    //!< per neighborhood
  qint64 budgetCents = 0; //!< total
  QDate cycleStart;
  QDate cycleEnd;
  bool matchRequired = false;
};

struct GrantInput
{
  qint64 programId = 0;
  QString nbhId; //!< neighborhoods.nbh_id
  QString grantee;
  QString contact;
  QString registrationStatus; //!< e.g. "registered", "pending"
  QString category;           //!< one of priorityCategories()
  QDate startDate;            //!< grant (project) start, used by outcomes
  QDate endDate;              //!< completion deadline
};

struct ExpenseInput
{
  qint64 grantId = 0;
  QDate spentOn;
  qint64 amountCents = 0;
  QString vendor;
  QString description;
  qint64 budgetLineId = 0; //!< 0 = none
};

//! One flag a coordinator must look at.
struct LedgerFlag
{
  QString kind; //!< "overdue_milestone", "unreceipted_disbursement", "match_missing"
  qint64 grantId = 0;
  QString nbhId;
  QString message;
  qint64 amountCents = 0;
};

struct GrantFigures
{
  qint64 grantId = 0;
  qint64 programId = 0;
  QString program;
  QString nbhId;
  QString neighborhood;
  QString grantee;
  QString status;
  QString category;
  qint64 awardCents = 0;
  qint64 disbursedCents = 0;
  qint64 remainingCents = 0; //!< award - disbursed
  qint64 expensesCents = 0;
  qint64 receiptedCents = 0; //!< expenses with at least one receipt
  qint64 inKindCents = 0;
};

struct ProgramFigures
{
  qint64 programId = 0;
  QString name;
  qint64 capCents = 0;
  qint64 budgetCents = 0;
  qint64 awardedCents = 0;
  qint64 unallocatedCents = 0; //!< budget - awarded
  qint64 disbursedCents = 0;
  qint64 remainingCents = 0; //!< awarded - disbursed
  int grants = 0;
};

struct Dashboard
{
  QVector<ProgramFigures> programs;
  QVector<GrantFigures> grants;
  QVector<LedgerFlag> flags;
  QJsonObject toJson() const;
};

//! One problem found by GrantLedger::verify().
struct AuditProblem
{
  QString table;
  qint64 row = 0;
  qint64 seq = 0; //!< audit_log entry concerned, 0 for table rows
  QString message;
};

struct VerifyResult
{
  bool ok = true;
  qint64 entries = 0;
  QString headHash;
  QVector<AuditProblem> problems;
};

//! One row of a CSV import that was not written.
struct ImportRowError
{
  qint64 line = 0;
  QString message;
};

struct ImportResult
{
  bool ok = false; //!< the good rows were written (or there were none)
  int rowsRead = 0;
  int imported = 0;
  QVector<ImportRowError> errors;
  QString error; //!< whole-file failure (unreadable, missing columns)
};

/**
 * The grants ledger of one project. Every public write is one *operation*: one SQLite
 * transaction that changes the ledger tables and appends one audit_log entry per row changed
 * (who, when in UTC, table, row, insert/update/delete, before and after JSON images, previous
 * hash and SHA-256 hash), so the log and the tables can never disagree except by tampering.
 *
 * Undo/redo work on operations and are operations themselves (audited, kind "undo"/"redo");
 * the stacks are derived from the log, so they survive closing the project. An undo is refused
 * when a row was changed outside the ledger since.
 *
 * Refusals (cap, budget, award, workflow) return 0/false with errorString() saying why and by
 * how much; nothing is written then.
 *
 * Does not own the ProjectFile; use from the thread that uses the project.
 */
class STATDESK_CORE_EXPORT GrantLedger
{
public:
  //! \a user is recorded as "who" in the log; empty = the OS user name.
  explicit GrantLedger( ProjectFile &project, const QString &user = QString() );

  //! Creates the ledger tables and the grant_sites layer if missing (one transaction).
  bool ensureTables();
  //! True when the project already holds a ledger.
  bool hasLedger() const;

  qint64 addProgram( const ProgramInput &input );
  qint64 addGrant( const GrantInput &input );
  //! Sets the award (moves an applied grant to awarded). Enforces cap, budget, disbursed so far.
  bool award( qint64 grantId, qint64 cents );
  bool setStatus( qint64 grantId, const QString &status, const QString &reason = QString() );
  qint64 addBudgetLine( qint64 grantId, const QString &category, const QString &description, qint64 cents );
  //! \a kind "advance" or "reimbursement". Enforces sum of disbursements <= award.
  qint64 disburse( qint64 grantId, const QDate &paidOn, qint64 cents, const QString &kind, const QString &reference = QString() );
  qint64 addExpense( const ExpenseInput &input );
  //! Stores the file bytes in the project and links them to an expense.
  qint64 attachReceipt( qint64 expenseId, const QString &fileName, const QString &mimeType, const QByteArray &content );
  qint64 addInKindMatch( qint64 grantId, const QDate &givenOn, const QString &description, qint64 valueCents, const QString &source = QString() );
  qint64 addMilestone( qint64 grantId, const QString &title, const QDate &dueOn );
  bool completeMilestone( qint64 milestoneId, const QDate &completedOn );
  qint64 addNote( qint64 grantId, const QString &text );
  //! A point or polygon (project CRS) linked to a grant.
  qint64 addSite( qint64 grantId, const QgsGeometry &geometry, const QString &label, const QString &kind = QString() );
  //! Removes a row of a child table (budget line, disbursement, expense, receipt, match, milestone, note, site).
  bool removeRow( const QString &table, qint64 fid );

  //! The receipt file bytes (verified against the stored SHA-256).
  bool receiptContent( qint64 receiptId, QByteArray *content, QString *fileName = nullptr, QString *mimeType = nullptr );

  bool canUndo() const;
  bool canRedo() const;
  QString undoText() const;
  QString redoText() const;
  bool undo();
  bool redo();

  Dashboard dashboard( const QDate &asOf = QDate::currentDate() ) const;
  QVector<LedgerFlag> flags( const QDate &asOf = QDate::currentDate() ) const;
  QVector<GrantFigures> grantFigures() const;

  //! Checks the hash chain and that every ledger row equals the last image the log holds of it.
  VerifyResult verify() const;

  //! Writes one row per grant (money as plain decimals) with QSaveFile.
  bool exportCsv( const QString &path );
  /**
   * Imports a grants spreadsheet: columns program, nbh_id (or neighborhood name), grantee,
   * contact, registration, category, award, status, start_date, end_date, disbursed (optional).
   * Every row is checked with the ledger's rules; bad rows are reported and nothing of them is
   * written; the good rows are written in one transaction (one undoable operation).
   */
  ImportResult importCsv( const QString &path );
  ImportResult importCsvData( const QByteArray &data );

  //! Reads one ledger row as a map (column -> value), empty when missing.
  QVariantMap row( const QString &table, qint64 fid ) const;
  qint64 programIdByName( const QString &name ) const;

  QString errorString() const { return mError; }
  QString user() const { return mUser; }

private:
  struct Operation;
  friend struct Operation;

  bool fail( const QString &message );
  // Audited primitives, inside an Operation.
  qint64 insertRow( Operation &op, const QString &table, const QVariantMap &values );
  bool updateRow( Operation &op, const QString &table, qint64 fid, const QVariantMap &values );
  bool deleteRow( Operation &op, const QString &table, qint64 fid );
  bool appendAudit( Operation &op, const QString &table, qint64 fid, const QString &action, const QString &before, const QString &after );
  QString rowImage( const QString &table, qint64 fid ) const;
  bool restoreImage( const QString &table, qint64 fid, const QString &image, bool exists );

  // Rule checks (no writes).
  bool checkAward( qint64 grantId, qint64 cents );
  qint64 grantAward( qint64 grantId ) const;
  QString grantStatus( qint64 grantId ) const;
  qint64 sumCents( const QString &sql, qint64 id ) const;

  // Unwrapped operation bodies, shared by the public API and CSV import.
  qint64 doAddGrant( Operation &op, const GrantInput &input );
  bool doAward( Operation &op, qint64 grantId, qint64 cents );
  bool doSetStatus( Operation &op, qint64 grantId, const QString &status );
  qint64 doDisburse( Operation &op, qint64 grantId, const QDate &paidOn, qint64 cents, const QString &kind, const QString &reference );

  struct StackState
  {
    QVector<qint64> undo; //!< op ids, last = top
    QVector<qint64> redo;
  };
  StackState stacks() const;
  QString opLabel( qint64 opId ) const;
  bool applyOp( qint64 opId, bool forward, const QString &kind );

  ProjectFile &mProject;
  SqliteDatabase &mDb;
  QString mUser;
  QString mError;
};

} // namespace statdesk::grants
