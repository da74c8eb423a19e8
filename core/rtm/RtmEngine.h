/**
 * \file RtmEngine.h
 * rtm: the Risk Terrain Modeling pipeline of ../shared/specs/rtm.md, from loaded geometries to a
 * fitted risk terrain: grid, candidate variables per factor (proximity bands from one distance
 * field per factor, quartic-kernel density bands), elastic-net selection with cross-validation,
 * bidirectional stepwise BIC selection (at most one variable per factor) for Poisson and
 * negative binomial, the final model table, relative risk scores, risk classes, high-risk and
 * priority places, a narrative, validation on a following window and an audit trail.
 *
 * A panel drives it as: RtmParameters in (collected from widgets) -> loadRtmInputs (reads the
 * project) -> runRtm (long, pure computation, QgsFeedback for progress and cancel) -> RtmResult
 * out (tables, grids, geometries, JSON) -> saveRtmRun / export*. Everything is synchronous; wrap
 * the two middle calls in a QgsTask. Same parameters, inputs and seed give identical results.
 */
#pragma once

#include "statdesk_core_export.h"
#include "rtm/CountModels.h"

#include <QDate>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <qgsgeometry.h>

#include <cstdint>
#include <vector>

class QgsFeedback;

namespace statdesk
{
class ProjectFile;
}

namespace statdesk::rtm
{

enum class Operationalisation
{
  Proximity,
  Density,
  Both,
};

enum class Increment
{
  Half,  //!< bands every half block
  Whole, //!< bands every block
};

STATDESK_CORE_EXPORT QString operationalisationName( Operationalisation op );
//! "ft" when \a crs (authid or WKT) measures in feet, otherwise "m" (a projected CRS in metres or unknown).
STATDESK_CORE_EXPORT QString crsDistanceUnit( const QString &crs );
STATDESK_CORE_EXPORT bool parseOperationalisation( const QString &text, Operationalisation *op );

//! One risk factor: a project layer with an optional SQL filter and how to operationalise it.
struct STATDESK_CORE_EXPORT RiskFactorSpec
{
    QString name;                    //!< short name used in variable names (letters, digits, _)
    QString layer;                   //!< table in the project
    QString filter;                  //!< SQL WHERE clause on the table, empty for all rows
    Operationalisation operationalisation = Operationalisation::Both;
    double spatialInfluenceBlocks = 3; //!< maximum spatial influence S in blocks
    Increment increment = Increment::Whole;

    //! Number of bands S / Delta.
    int bands() const;
    QJsonObject toJson() const;
    //! Reads what toJson() wrote; false with a message naming the bad key.
    static bool fromJson( const QJsonObject &json, RiskFactorSpec *spec, QString *error );
};

//! Everything a run depends on (besides the data). Defaults follow the spec.
struct STATDESK_CORE_EXPORT RtmParameters
{
    QString outcomeLayer = QStringLiteral( "incidents" );
    QString outcomeFilter = QStringLiteral( "violent = 1" );
    QString dateColumn;               //!< empty: occurred_at for incidents, created_at for service_requests
    QDate trainFrom, trainTo;         //!< inclusive local dates; null = unbounded
    QDate testFrom, testTo;           //!< validation window; both null = no validation
    QString studyAreaLayer = QStringLiteral( "boundaries" );
    QString studyAreaFilter = QStringLiteral( "kind = 'city'" );
    QList<RiskFactorSpec> factors;
    double blockLength = 120;         //!< BL, project CRS units
    double cellSize = 0;              //!< 0: BL / 2
    double densityThresholdSd = 2;    //!< density variable = 1 above mean + this many SD (in-area cells)
    double alpha = 0.5;
    int folds = 10;
    quint64 seed = 20240601;
    CountFamily negativeBinomial = CountFamily::NB1; //!< NB1 (RTMDx-compatible) or NB2
    double hotSpotRadius = 0;         //!< KDE radius for hot spots and the KDE baseline; 0: BL
    int threads = 2;

    double effectiveCellSize() const { return cellSize > 0 ? cellSize : blockLength / 2; }
    double effectiveHotSpotRadius() const { return hotSpotRadius > 0 ? hotSpotRadius : blockLength; }
    bool hasValidation() const { return testFrom.isValid() || testTo.isValid(); }
    QJsonObject toJson() const;
    //! Reads what toJson() wrote (a saved run's parameters); false with a message.
    static bool fromJson( const QJsonObject &json, RtmParameters *parameters, QString *error );
    //! Checks values a user can get wrong; false with a message naming the field.
    bool validate( QString *error ) const;
};

//! Geometries of one layer query: points fast, lines and polygons as geometries.
struct STATDESK_CORE_EXPORT FeatureSet
{
    std::vector<double> x, y;          //!< points (and centroids of lines/polygons, used for density)
    std::vector<QgsGeometry> shapes;   //!< lines and polygons (distance to the nearest edge, 0 inside)
    QString hash;                      //!< SHA-256 of the coordinates read, for the audit trail
    qint64 rowsWithoutGeometry = 0;
    int count() const { return static_cast<int>( x.size() ); }
};

//! What runRtm needs, loaded from a project (loadRtmInputs) or built by a test.
struct STATDESK_CORE_EXPORT RtmInputs
{
    QgsGeometry studyArea;
    QString studyAreaHash;
    FeatureSet outcome;                //!< training window
    FeatureSet outcomeTest;            //!< validation window (may be empty)
    std::vector<FeatureSet> factors;   //!< one per RtmParameters::factors
    QString crsAuthid;
    QString distanceUnit;              //!< "m" or "ft" (the CRS's), used in the narrative; empty: from crsAuthid
};

//! The cell lattice: origin at the study area's (xmin, ymin), row 0 at the bottom.
struct STATDESK_CORE_EXPORT RtmGrid
{
    double x0 = 0, y0 = 0, cell = 0;
    int cols = 0, rows = 0;
    std::vector<int> designRow;        //!< per cell (row * cols + col): index among in-area cells, -1 outside
    std::vector<int> cellOfRow;        //!< per in-area cell: its cell index
    int cellsInArea() const { return static_cast<int>( cellOfRow.size() ); }
    double centreX( int cellIndex ) const { return x0 + ( cellIndex % cols + 0.5 ) * cell; }
    double centreY( int cellIndex ) const { return y0 + ( cellIndex / cols + 0.5 ) * cell; }
    //! In-area index of the cell holding (x, y), -1 outside the study area.
    int rowOfPoint( double x, double y ) const
    {
      const double fx = ( x - x0 ) / cell, fy = ( y - y0 ) / cell;
      if ( !( fx >= 0 && fy >= 0 && fx < cols && fy < rows ) )
        return -1;
      return designRow[static_cast<std::size_t>( fy ) * cols + static_cast<std::size_t>( fx )];
    }
};

//! One candidate variable (also the dropped ones, with the reason).
struct STATDESK_CORE_EXPORT CandidateVariable
{
    QString name;        //!< r{factor#}{p|d}{band#}_{name}_{proximity|density}_{distance}
    int factor = 0;      //!< index into RtmParameters::factors
    bool density = false;
    int band = 0;        //!< 1-based
    double distance = 0;
    int ones = 0;        //!< in-area cells where it is 1
    QString status;      //!< "candidate", "constant" or "duplicate of <name>"
    double enetCoefficient = 0; //!< at lambda min (0 = not selected)
};

struct STATDESK_CORE_EXPORT ModelTerm
{
    QString variable;
    QString factor;
    QString operationalisation; //!< "proximity" / "density"
    double distance = 0;        //!< spatial influence, CRS units
    double beta = 0, se = 0, z = 0, p = 1, rrv = 1;
    bool protective = false;
};

//! Stepwise selection and final unpenalised fit for one family.
struct STATDESK_CORE_EXPORT FamilyModel
{
    CountFamily family = CountFamily::Poisson;
    bool ok = false;
    QString error;
    double bic = 0, logLik = 0;
    int parameters = 0;
    double intercept = 0, interceptSe = 0, interceptP = 1;
    double alpha = 0, alphaSe = 0;  //!< NB dispersion (NB1: sigma of gamlss NBII)
    std::vector<int> variables;    //!< candidate indices in the model, in model order
    std::vector<ModelTerm> terms;
    QJsonArray trace;              //!< stepwise steps: action, variable, BIC
};

struct STATDESK_CORE_EXPORT RiskClass
{
    QString name;
    double lower = 0, upper = 0;   //!< RRS bounds (lower exclusive except for the first class)
    int cells = 0;
    double areaShare = 0, eventShare = 0;
};

struct STATDESK_CORE_EXPORT ValidationRow
{
    QString method;                //!< "rtm", "kde", "prior_count"
    double areaShare = 0;          //!< 0.01, 0.05, 0.10
    int cells = 0;
    double hits = 0;               //!< expected hits (ties at the cut shared proportionally)
    double hitRate = 0, pai = 0, pei = 0;
};

struct STATDESK_CORE_EXPORT RtmResult
{
    bool ok = false;
    QString error;
    RtmGrid grid;
    std::vector<int> trainCounts, testCounts; //!< per in-area cell
    int cellsWithEvents = 0;
    int eventsInArea = 0, eventsOutsideArea = 0;
    std::vector<CandidateVariable> candidates;
    std::vector<std::vector<std::uint8_t>> design; //!< per kept candidate (status "candidate"): one byte per in-area cell
    std::vector<int> designVariables;               //!< candidate index of each design column
    // Elastic net.
    std::vector<double> lambda, cvm, cvsd;
    std::vector<int> nonZero;
    int lambdaIndexMin = -1;
    double lambdaMin = 0;
    std::vector<int> enetSelected; //!< candidate indices with beta != 0 at lambda min
    // Models.
    FamilyModel poisson, negativeBinomial;
    CountFamily chosenFamily = CountFamily::Poisson;
    const FamilyModel &chosen() const { return chosenFamily == CountFamily::Poisson ? poisson : negativeBinomial; }
    // Risk terrain.
    std::vector<double> rrs;       //!< per in-area cell, min 1
    std::vector<double> hotSpotDensity; //!< KDE of training events per in-area cell
    std::vector<RiskClass> classes;
    std::vector<std::uint8_t> highRiskCells, priorityCells; //!< per in-area cell: highest class / also a hot spot
    QgsGeometry highRiskPlaces, priorityPlaces;
    int highRiskPlaceCount = 0, priorityPlaceCount = 0;
    double priorityArea = 0, priorityAreaShare = 0;
    QString narrative;
    std::vector<ValidationRow> validation;
    QJsonObject timings;           //!< seconds per stage
    QJsonObject audit;             //!< parameters, hashes, candidates, CV curve, traces, BICs

    //! Model table, family, BICs, classes, validation (what the CLI's --json prints).
    QJsonObject summaryJson() const;
};

/**
 * Reads the inputs of \a parameters from \a project: the study area (union of the filtered
 * polygons), outcome points of the training and validation windows, and each factor's features.
 * Filters are SQL WHERE clauses on the table; a bad one is reported with SQLite's message.
 */
STATDESK_CORE_EXPORT bool loadRtmInputs( ProjectFile &project, const RtmParameters &parameters, RtmInputs *inputs, QString *error,
                                         QgsFeedback *feedback = nullptr );

/**
 * Default parameters for a demo project from its recorded truth (metadata demo_truth): the
 * truth's outcome layer and filter, block length and cell size, its factors (layer, filter,
 * operationalisation; spatial influence 3 blocks, whole-block increments), the study area it
 * names, and windows from its period: all but the last year for training, the last year for validation.
 */
STATDESK_CORE_EXPORT bool rtmParametersFromDemoTruth( const QJsonObject &truth, RtmParameters *parameters, QString *error );

//! Runs the pipeline. Progress 0-100 on \a feedback, polled for cancel. Deterministic.
STATDESK_CORE_EXPORT RtmResult runRtm( const RtmParameters &parameters, const RtmInputs &inputs, QgsFeedback *feedback = nullptr );

/**
 * Saves a run into the project in one transaction: a row of rtm_runs (created if missing) with
 * the parameters, audit trail, summary, the RRS grid, counts and design matrix (compressed), and
 * the run's map tables (RtmRuns.h: rtm_rrs_<id>, rtm_high_risk_<id>, rtm_priority_<id>). Returns
 * the run id or -1. \a preparedMapTables is a file prepareRtmMapTables() wrote for this result
 * (so a task can do that part off the GUI thread); empty: written here.
 */
STATDESK_CORE_EXPORT qint64 saveRtmRun( ProjectFile &project, const QString &name, const RtmParameters &parameters, const RtmResult &result,
                                        QString *error, const QString &preparedMapTables = QString() );

/**
 * Writes the map tables of \a result (RRS raster, high-risk and priority places) into a new
 * GeoPackage at \a path for saveRtmRun(). Touches no project; any thread.
 */
STATDESK_CORE_EXPORT bool prepareRtmMapTables( const RtmResult &result, const QString &path, QString *error );

//! Design matrix and counts (one row per in-area cell) as CSV, written atomically.
STATDESK_CORE_EXPORT bool exportDesignCsv( const RtmResult &result, const QString &path, QString *error );
//! Model table, risk classes and validation as three CSVs in \a directory (rtm_model.csv, rtm_classes.csv, rtm_validation.csv).
STATDESK_CORE_EXPORT bool exportTablesCsv( const RtmResult &result, const QString &directory, QString *error );
//! RRS as a Float32 GeoTIFF (nodata -9999 outside the study area).
STATDESK_CORE_EXPORT bool exportRrsGeoTiff( const RtmResult &result, const QString &crsWkt, const QString &path, QString *error );

} // namespace statdesk::rtm
