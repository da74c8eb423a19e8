/**
 * \file GrantsDock.h
 * The grants panel: the ledger (grants table, award / disburse / expense / milestone / status
 * dialogs, receipts, undo/redo, CSV import/export, audit verification), the needs view of a
 * neighborhood, the outcome estimates and the dashboard. A thin view over core/grants: every
 * change goes through GrantLedger, so the panel, the CLI and the tests share the same rules.
 *
 * Does not own the ProjectFile or the canvas; call setProject() when the project changes.
 * GUI thread only.
 */
#pragma once

#include "grants/SiteMapTool.h"

#include <QDockWidget>
#include <QPointer>

class QComboBox;
class QDateEdit;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QgsMapCanvas;
class QgsMapTool;

namespace statdesk
{
class OutcomeChart;
class ProjectFile;

class GrantsDock : public QDockWidget
{
    Q_OBJECT

  public:
    GrantsDock( ProjectFile *project, QgsMapCanvas *canvas, QWidget *parent = nullptr );

    //! Points the panel at another project (nullptr = none) and reloads everything.
    void setProject( ProjectFile *project );

  signals:
    //! Emitted after every committed ledger change (the app may refresh layers).
    void ledgerChanged();

  public slots:
    void refresh();

  public:
    /**
     * Puts a site-drawing tool for grant \a grantId on the canvas (what "Draw site on map…"
     * does after its form); the site is stored when the tool reports it. Returns the tool.
     */
    SiteMapTool *startSiteDrawing( qint64 grantId, SiteMapTool::Shape shape, const QString &label, const QString &kind );
    //! Selects the row of grant \a grantId in the ledger table; false when it is not there.
    bool selectGrant( qint64 grantId );
    OutcomeChart *outcomeChart() const { return mOutcomeChart; }

  private slots:
    void newProgram();
    void newGrant();
    void awardGrant();
    void disburse();
    void addExpense();
    void addMilestone();
    void changeStatus();
    void openReceipt();
    void undo();
    void redo();
    void importCsv();
    void exportCsv();
    void verify();
    void showNeeds();
    void zoomToNeighborhood();
    void runOutcomes();
    void refreshDetails();
    void addBudgetLine();
    void addInKind();
    void addNote();
    void completeMilestone();
    void removeRecord();
    void drawSite();
    void stopSiteDrawing();
    void zoomToSites();

  private:
    QWidget *buildLedgerTab();
    QWidget *buildNeedsTab();
    QWidget *buildOutcomesTab();
    QWidget *buildDashboardTab();
    qint64 selectedGrant() const;
    //! fid of the selected record in the grant's records when it is of \a table (empty: any).
    qint64 selectedRecord( const QString &table ) const;
    bool requireProject();
    void reportResult( bool ok, const QString &error );

    ProjectFile *mProject = nullptr;
    QPointer<QgsMapCanvas> mCanvas;

    QTableWidget *mGrants = nullptr;
    QPushButton *mUndo = nullptr;
    QPushButton *mRedo = nullptr;
    QLabel *mStatus = nullptr;
    QTableWidget *mDetails = nullptr;
    QPointer<SiteMapTool> mSiteTool;
    QPointer<QgsMapTool> mPreviousTool;

    QComboBox *mNeedsNeighborhood = nullptr;
    QDateEdit *mNeedsAsOf = nullptr;
    QTableWidget *mNeedsBlight = nullptr;
    QTableWidget *mNeedsMonths = nullptr;
    QLabel *mNeedsSummary = nullptr;

    QComboBox *mOutcomeMeasure = nullptr;
    QSpinBox *mMonthsBefore = nullptr;
    QSpinBox *mMonthsAfter = nullptr;
    QSpinBox *mComparisons = nullptr;
    QTableWidget *mOutcomes = nullptr;
    OutcomeChart *mOutcomeChart = nullptr;
    QPlainTextEdit *mOutcomeText = nullptr;

    QTableWidget *mPrograms = nullptr;
    QTableWidget *mDashboardGrants = nullptr;
    QPlainTextEdit *mFlags = nullptr;
};

} // namespace statdesk
