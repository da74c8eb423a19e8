/**
 * \file Briefing.h
 * PDF briefing maps: a citywide page, an atlas with one page per grant neighborhood, and
 * Task Force cluster sheets, made from QGIS layout templates (the .qpt files in resources/briefing, embedded
 * in the library as Qt resources; an analyst may pass an edited copy instead).
 *
 * Templates know nothing about a project: their labels are expressions over layout variables
 * (@statdesk_title, @statdesk_period, @statdesk_figures ...) and the atlas feature, their items
 * have fixed ids (main_map, legend, scalebar, north_arrow, chart_hourly, chart_monthly, logo).
 * BriefingExporter fills the variables, chooses the map layers and exports with
 * QgsLayoutExporter, text kept as text and dense point layers rasterised.
 *
 * Public mode is for community partners: violent offenses only as hexagon counts with small
 * counts suppressed, no point of an incident or 311 request, no person-level or restricted
 * table, and a statement on every page. Restricted mode shows points and marks every page.
 *
 * Optional inputs from other engines (RTM high-risk places, Task Force clusters, grant ledger)
 * arrive through BriefingSection objects, registered once by those modules
 * (BriefingSection::registerFactory) or added to one exporter (addSection); without them a
 * briefing still works and says that the project has no such results.
 */
#pragma once

#include "statdesk_core_export.h"
#include "briefing/BriefingData.h"
#include "briefing/BriefingLayers.h"

#include <QDate>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <vector>

#include <qgsvectorlayer.h>

class QgsFeedback;
class QImage;

namespace statdesk
{

class ProjectFile;

enum class BriefingTemplate
{
  Citywide,      //!< one page: map, key figures, charts
  Neighborhoods, //!< atlas: one page per grant neighborhood (neighborhoods.is_grant = 1)
  Clusters,      //!< atlas: one page per Task Force cluster (needs a clustering section)
};

enum class BriefingPageSize
{
  Letter,
  A4,
};

enum class BriefingOrientation
{
  Landscape,
  Portrait,
};

//! "citywide" / "neighborhoods" / "clusters" (and the parsers used by the CLI and the app).
STATDESK_CORE_EXPORT QString briefingTemplateName( BriefingTemplate kind );
STATDESK_CORE_EXPORT bool parseBriefingTemplate( const QString &text, BriefingTemplate *kind );
STATDESK_CORE_EXPORT bool parseBriefingPageSize( const QString &text, BriefingPageSize *size );
STATDESK_CORE_EXPORT bool parseBriefingOrientation( const QString &text, BriefingOrientation *orientation );

/**
 * Custom property a BriefingSection sets (to true) on a point layer that holds no person and no
 * incident (e.g. grant sites), so that public briefings may show it; every other point layer
 * of a section is left out of public pages.
 */
inline const QString kBriefingPublicSafeProperty = QStringLiteral( "statdesk/public_safe" );

//! What to export.
struct STATDESK_CORE_EXPORT BriefingOptions
{
    BriefingTemplate kind = BriefingTemplate::Citywide;
    QDate from;                 //!< null: see BriefingPeriod::resolve (28 days; public mode: 12 months ending at `to`)
    QDate to;                   //!< null: the latest incident's date (public mode: the end of the last full month of data)
    bool publicMode = false;
    int suppressionThreshold = 5; //!< public mode: hexagons with fewer offenses are not shown
    double hexSizeMetres = 0;   //!< public mode: cell width; 0 = 800 m citywide, 600 m on neighborhood pages
    BriefingPageSize pageSize = BriefingPageSize::Letter;
    BriefingOrientation orientation = BriefingOrientation::Landscape;
    QString title;              //!< empty: "<City>: citywide briefing" etc.
    QString logoPath;           //!< image shown as @statdesk_logo; empty: none
    QString templatePath;       //!< an edited .qpt to use instead of the embedded one
    double dpi = 200;           //!< resolution of rasterised map layers and charts
};

//! The context a BriefingSection works in.
struct BriefingContext
{
    SqliteDatabase *database = nullptr; //!< the project, read-only
    ProjectFile *project = nullptr;     //!< the same project file (read-only), for modules whose API takes one
    QString projectPath;
    QString crsAuthId;
    BriefingPeriod period;
    QDate today;                        //!< the date the briefing is produced (project time zone)
    bool publicMode = false;            //!< sections must not return person-level data or incident points when set
    int suppressionThreshold = 5;       //!< public mode: counts from 1 to threshold - 1 are not printed
};

/**
 * Results of another engine shown in a briefing (RTM high-risk places, Task Force clusters,
 * grant budgets). Every method has a "nothing" default, so a section implements only what it
 * has. Layers returned are owned by the caller. Called from the exporting thread.
 */
class STATDESK_CORE_EXPORT BriefingSection
{
  public:
    virtual ~BriefingSection() = default;
    //! Short id used in the JSON summary ("rtm", "clusters", "grants").
    virtual QString id() const = 0;
    //! Lines for the citywide page's results box (empty: this project has none).
    virtual QString citywideText( const BriefingContext &context ) { Q_UNUSED( context ) return QString(); }
    //! Polygon layers for the citywide map (e.g. RTM priority places, cluster outlines).
    virtual std::vector<std::unique_ptr<QgsMapLayer>> citywideLayers( const BriefingContext &context ) { Q_UNUSED( context ) return {}; }
    //! Text for grant neighborhood pages, by nbh_id (budget status, milestones).
    virtual QMap<QString, QString> neighborhoodTexts( const BriefingContext &context ) { Q_UNUSED( context ) return {}; }
    //! Layers for grant neighborhood pages (e.g. grant sites; see kBriefingPublicSafeProperty for public pages).
    virtual std::vector<std::unique_ptr<QgsMapLayer>> neighborhoodLayers( const BriefingContext &context ) { Q_UNUSED( context ) return {}; }
    /**
     * Cluster sheets: a polygon layer with one feature per cluster and the string fields
     * "cluster_label" and "card" (the multi-line cluster card), or nullptr when there are none.
     */
    virtual std::unique_ptr<QgsVectorLayer> clusterSheets( const BriefingContext &context ) { Q_UNUSED( context ) return nullptr; }

    using Factory = std::function<std::unique_ptr<BriefingSection>()>;
    //! Registers a section every BriefingExporter uses (call once, e.g. from a static initialiser).
    static void registerFactory( const Factory &factory );
    static const std::vector<Factory> &factories();
};

//! What an export produced.
struct STATDESK_CORE_EXPORT BriefingResult
{
    bool ok = false;
    QString error;
    QString pdfPath;
    int pages = 0;
    qint64 bytes = 0;
    qint64 elapsedMs = 0;
    BriefingPeriod period;
    BriefingFigures figures;
    QVector<NeighborhoodFigures> neighborhoods;   //!< neighborhoods template
    HexAggregation hexagons;                      //!< public mode
    //! The "statdesk/table" property of each layer drawn on the map, in drawing order (top first).
    QStringList mapLayers;
    //! Layers rendered as an image inside the PDF (dense point layers).
    QStringList rasterisedLayers;
    QStringList sections;                         //!< ids of sections that contributed

    QJsonObject toJson() const;
};

/**
 * Exports briefings of one project file. Opens the project read-only, loads its stored QGIS
 * project into a private QgsProject (so the app's project is untouched), builds the layout and
 * writes the PDF through a temporary file renamed into place.
 *
 * Synchronous; \a feedback (may be null) gets progress and is polled for cancel. Not for the
 * GUI thread's QgsProject::instance(): it never uses it, so a QgsTask may run it.
 */
class STATDESK_CORE_EXPORT BriefingExporter
{
  public:
    explicit BriefingExporter( const QString &projectPath );
    ~BriefingExporter();
    BriefingExporter( const BriefingExporter & ) = delete;
    BriefingExporter &operator=( const BriefingExporter & ) = delete;

    //! Adds a section for this exporter only (tests, or the app with a run selected).
    void addSection( std::unique_ptr<BriefingSection> section );

    BriefingResult exportPdf( const BriefingOptions &options, const QString &pdfPath, QgsFeedback *feedback = nullptr );

    /**
     * Renders page \a page (0-based; atlas pages in order) of the briefing \a options describe
     * into \a image at \a dpi, from the same layout exportPdf() writes (built anew for each
     * call). The result's pages holds the page count; ok is false (with an error) for a page
     * out of range. Same threading rules as exportPdf().
     */
    BriefingResult renderPreview( const BriefingOptions &options, int page, double dpi, QImage *image, QgsFeedback *feedback = nullptr );

    //! Resource path of the embedded template for \a kind, \a size and \a orientation.
    static QString templateResource( BriefingTemplate kind, BriefingPageSize size, BriefingOrientation orientation );

  private:
    struct Prepared;
    //! Opens the project and builds the layout (and atlas) for \a options; null with result.error on failure.
    std::unique_ptr<Prepared> prepare( const BriefingOptions &options, BriefingResult &result, QgsFeedback *feedback );

    QString mProjectPath;
    std::vector<std::unique_ptr<BriefingSection>> mSections;
};

} // namespace statdesk
