#include "DemoCity.h"
#include "DemoRandom.h"

#include "common/GpkgGeometry.h"
#include "common/Sqlite.h"
#include "project/ProjectFile.h"
#include "project/ProjectLayers.h"
#include "project/Schema.h"

#include <QCoreApplication>
#include <QDate>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLockFile>
#include <QSet>
#include <QTimeZone>

#include <qgsfeedback.h>
#include <qgsgeometry.h>
#include <qgspathresolver.h>
#include <qgsproject.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <numeric>
#include <vector>

namespace statdesk
{

QJsonObject DemoSummary::countsJson() const
{
  return QJsonObject {
    { QStringLiteral( "incidents" ), incidents },
    { QStringLiteral( "incidents_without_location" ), incidentsWithoutLocation },
    { QStringLiteral( "violent" ), violent },
    { QStringLiteral( "shootings" ), shootings },
    { QStringLiteral( "near_repeat_shootings" ), nearRepeatShootings },
    { QStringLiteral( "service_requests" ), serviceRequests },
    { QStringLiteral( "vacant_parcels" ), vacantParcels },
    { QStringLiteral( "dangerous_buildings" ), dangerousBuildings },
    { QStringLiteral( "neighborhoods" ), neighborhoods },
    { QStringLiteral( "boundaries" ), boundaries },
    { QStringLiteral( "person_involvements" ), persons },
  };
}

QString demoSizeName( DemoOptions::Size size )
{
  return size == DemoOptions::Size::City ? QStringLiteral( "city" ) : QStringLiteral( "small" );
}

bool parseDemoSize( const QString &text, DemoOptions::Size *size )
{
  const QString t = text.trimmed().toLower();
  if ( t == QLatin1String( "small" ) )
    *size = DemoOptions::Size::Small;
  else if ( t == QLatin1String( "city" ) )
    *size = DemoOptions::Size::City;
  else
    return false;
  return true;
}

namespace
{
using demo::DemoRandom;

// ---------------------------------------------------------------------------------------------
// Fixed design of the demo. Changing any of these changes every demo file (and its truth).

constexpr double kCenterX = 360000.0; // UTM 15N: a made-up place, not Kansas City
constexpr double kCenterY = 4320000.0;
constexpr double kBlock = 120.0;      // street spacing = block length (truth: block_length_m)
constexpr double kCell = 60.0;        // RTM default cell = half a block (truth: cell_size_m)
constexpr int kGrantCount = 13;
constexpr int kYears = 3;
const QDate kPeriodFrom( 2023, 1, 1 );
const QDate kPeriodTo( 2025, 12, 31 );
constexpr int kMarginDays = 400;      // closed_at / reported_at may fall after the period

// Independent random streams: one per part of the city.
enum Stream : quint64
{
  StreamBoundary = 1,
  StreamSeeds,
  StreamNames,
  StreamDistricts,
  StreamFields,
  StreamVacant,
  StreamDangerous,
  StreamDumping,
  StreamStreetlight,
  StreamRequests,
  StreamOffenses,
  StreamViolent,
  StreamNearRepeat,
  StreamMissing,
  StreamPersons,
  StreamGrants,
};

struct SizeParams
{
    double semiX, semiY;     // semi-axes of the city outline, metres
    int neighborhoods;
    int offenseRowsPerYear;  // offense rows (incl. second offenses of a report)
    double violentShare;     // of primary offenses
    int requestsPerYear;
    int fieldBumps;          // smooth random fields: number of Gaussian bumps
    int dangerousCap;
};

SizeParams sizeParams( DemoOptions::Size size )
{
  if ( size == DemoOptions::Size::City )
    return SizeParams { 15000, 12000, 150, 115000, 0.10, 250000, 36, 1000 };
  return SizeParams { 4000, 3000, 30, 14000, 0.14, 20000, 8, 220 };
}

// Planted risk factors. The violent-offense intensity is base * prod RR^x (x = proximity).
struct FactorSpec
{
    const char *name;
    const char *layer;
    const char *filter;
    double distance;
    double relativeRisk;
    double coverageTarget; // share of in-area cells within distance, reached while placing features
};
enum FactorIndex
{
  FactorVacant = 0,
  FactorDangerous,
  FactorDumping,
  FactorStreetlight,
  FactorCount
};
const std::array<FactorSpec, FactorCount> kFactors { {
  { "vacant_parcels", "vacant_parcels", "", 120.0, 2.0, 0.20 },
  { "dangerous_buildings", "dangerous_buildings", "", 240.0, 1.6, 0.12 },
  { "dumping_requests", "service_requests", "blight_class = 'dumping'", 120.0, 1.8, 0.07 },
  { "streetlight_requests", "service_requests", "blight_class = 'streetlight'", 120.0, 1.0, 0.12 },
} };

constexpr double kNearRepeatProbability = 0.15;
constexpr double kNearRepeatDistance = 120.0;
constexpr double kNearRepeatDays = 14.0;
constexpr double kMissingLocationShare = 0.12;

// ---------------------------------------------------------------------------------------------
// Vocabularies.

const char *const kNameFirst[] = {
  "Oak", "Maple", "Cedar", "Elm", "Walnut", "Hickory", "Willow", "Birch", "Pine", "Chestnut", "Linden", "Aspen",
  "Sycamore", "Magnolia", "Ivy", "Hawthorne", "Laurel", "Rose", "Sunset", "Pleasant", "Fair", "Green", "Spring",
  "Brook", "Mill", "Stone", "Rock", "Forest", "Lake", "River", "Bluff", "Country", "Meadow", "Highland", "Prospect",
  "Union", "Liberty", "Washington", "Lincoln", "Jefferson", "Roosevelt", "Blue", "Indian", "Swope", "Hyde",
  "Longfellow", "Manheim", "Ivanhoe", "Santa Fe", "Vineyard", "Beacon", "Troost", "Wornall", "Armour", "Rockhill",
  "Waldo", "Marlborough", "Blenheim", "Sheraton", "Palestine", "Boston", "Hale", "Center", "Coleman", "Tower",
  "Crown", "Martin", "Paseo", "Benton", "Harlem", "Dunbar", "Ruskin", "Hillcrest", "Glen", "Red Bridge", "Terrace",
  "Westport", "Gregory", "Kensington", "Fairmount", "Sugar Creek", "Clay", "Platte", "Briarcliff", "Coves", "Hidden",
};
const char *const kNameSecond[] = {
  "Hill", "Heights", "Park", "Village", "Gardens", "Place", "Ridge", "Valley", "Estates", "Terrace", "Acres",
  "Crossing", "Commons", "Square", "Woods", "Meadows", "Hills", "Grove", "Point", "Plaza",
};
const char *const kNameDirection[] = { "North", "South", "East", "West", "Northeast", "Northwest", "Southeast", "Southwest", "Old", "New" };

const char *const kStreetNames[] = {
  "WALNUT", "GRAND", "OAK", "LOCUST", "CHERRY", "HOLMES", "CHARLOTTE", "CAMPBELL", "TROOST", "FOREST", "TRACY",
  "VIRGINIA", "PASEO", "WOODLAND", "BROOKLYN", "PROSPECT", "OLIVE", "WABASH", "BENTON", "INDIANA", "AGNES",
  "MONROE", "CLEVELAND", "JACKSON", "KENSINGTON", "HARDESTY", "CHELSEA", "ELMWOOD", "BALES", "SPRUCE", "BELMONT",
  "HARDING", "NORTON", "DENVER", "VAN BRUNT", "AMMON", "BLUE RIDGE", "SYCAMORE", "HEDGES", "RAYTOWN", "EUCLID",
  "BROADWAY", "WASHINGTON", "WYANDOTTE", "BALTIMORE", "CENTRAL", "PENNSYLVANIA", "SUMMIT", "JEFFERSON", "MADISON",
  "BELLEVIEW", "ROANOKE", "FAIRMOUNT", "JARBOE", "BELL", "GENESSEE", "HOLLY", "MERCIER", "SUMMIT", "WORNALL",
  "PASADENA", "ROCKHILL", "GILLHAM", "HARRISON", "PARK", "MICHIGAN", "GARFIELD", "VICTOR", "QUINCY", "SMART",
  "COLLEGE", "LAWNDALE", "HIGHLAND", "MYRTLE", "POPLAR", "TULLIS", "MARSH", "EWING", "SOUTHEAST", "CYPRESS",
};
const char *const kStreetSuffixes[] = { "ST", "AVE", "TER", "PL", "CT" };

const int kZips[] = { 64101, 64102, 64105, 64106, 64108, 64109, 64110, 64111, 64112, 64113, 64114, 64116, 64117,
                      64118, 64119, 64120, 64123, 64124, 64125, 64126, 64127, 64128, 64129, 64130, 64131, 64132,
                      64133, 64134, 64136, 64137, 64138, 64139, 64145, 64146, 64147, 64149, 64151, 64152, 64153,
                      64154, 64155, 64156, 64157, 64158, 64161, 64163, 64164, 64165, 64166, 64167 };

// 311 request types (current system: issue_type / issue_sub_type). Shares of all requests.
enum class Placement
{
  Disinvested,   // smooth disinvestment field
  NearVacant,    // at or beside a vacant parcel (mostly), else the disinvestment field
  NearStructure, // beside a vacant structure, else the disinvestment field
  NearDangerous, // beside a dangerous building
  DumpingSite,   // one of the chronic dumping sites, a few metres off
  StreetLight,   // one of the reported street lights
  Population,    // where people live
};
struct RequestType
{
    const char *issueType;
    const char *subType;
    const char *blightClass; // nullptr: not blight
    const char *prefix;      // case id prefix (department)
    double share;
    Placement placement;
    double closeDaysMean;
    bool summer;             // mostly April-October
};
const RequestType kRequestTypes[] = {
  { "Property Violations", "Weeds", "weeds", "NPD", 0.14, Placement::NearVacant, 24, true },
  { "Property Violations", "Trash and Debris", "trash", "NPD", 0.055, Placement::Disinvested, 18, false },
  { "Health Code Violations", "Garbage and Debris", "trash", "HD", 0.035, Placement::Disinvested, 12, false },
  { "Property Violations", "Contractor Abatement Referral", "nuisance", "NPD", 0.02, Placement::NearVacant, 35, false },
  { "Health Code Violations", "Nuisance", "nuisance", "HD", 0.03, Placement::Disinvested, 15, false },
  { "Property Violations", "Open to Entry", "vacant_structure", "NPD", 0.025, Placement::NearStructure, 30, false },
  { "Property Violations", "Failure to Register Vacant Property", "vacant_structure", "NPD", 0.015, Placement::NearStructure, 60, false },
  { "Property Violations", "Contractor Board Up Referrals", "vacant_structure", "NPD", 0.01, Placement::NearStructure, 21, false },
  { "Dangerous Buildings", "Dangerous Building", "dangerous_building", "NPD", 0.02, Placement::NearDangerous, 120, false },
  { "Health Code Violations", "Rats", "rats", "HD", 0.03, Placement::Disinvested, 10, true },
  { "Trash / Recycling", "Illegal Dumping", "dumping", "SWM", 0.07, Placement::DumpingSite, 9, false },
  { "Lights / Signals", "Streetlight Out", "streetlight", "PW", 0.05, Placement::StreetLight, 14, false },
  { "Streets / Roadways", "Pothole", nullptr, "PW", 0.10, Placement::Population, 6, false },
  { "Trash / Recycling", "Missed Trash Pickup", nullptr, "SWM", 0.08, Placement::Population, 3, false },
  { "Trash / Recycling", "Missed Recycling", nullptr, "SWM", 0.04, Placement::Population, 4, false },
  { "Water Services", "Water Main Break", nullptr, "WSD", 0.03, Placement::Population, 4, false },
  { "Water Services", "Water Leak", nullptr, "WSD", 0.04, Placement::Population, 8, false },
  { "Animals / Pets", "Stray Animal", nullptr, "AC", 0.05, Placement::Population, 5, false },
  { "Animals / Pets", "Animal Bite", nullptr, "AC", 0.01, Placement::Population, 9, false },
  { "Sidewalks / Curbs", "Sidewalk Repair", nullptr, "PW", 0.03, Placement::Population, 45, false },
  { "Signs", "Street Sign Down", nullptr, "PW", 0.02, Placement::Population, 7, false },
  { "Lights / Signals", "Traffic Signal Malfunction", nullptr, "PW", 0.02, Placement::Population, 2, false },
  { "Storm Water / Sewer", "Clogged Inlet", nullptr, "WSD", 0.03, Placement::Population, 12, false },
  { "Parks & Recreation", "Tree Trimming", nullptr, "PRK", 0.03, Placement::Population, 30, false },
  { "Public Safety", "Abandoned Vehicle", nullptr, "PW", 0.02, Placement::Population, 10, false },
};
constexpr int kRequestTypeCount = sizeof( kRequestTypes ) / sizeof( kRequestTypes[0] );
const char *const kOpenStatuses[] = { "new", "Received", "assigned", "Referred", "active" };
const double kOpenStatusWeights[] = { 0.3, 0.15, 0.3, 0.1, 0.15 };
const char *const kClosedStatuses[] = { "Resolved", "closed", "Canceled" };
const double kClosedStatusWeights[] = { 0.68, 0.24, 0.08 };

// Offenses (IBRS) with KCPD-like offense text.
struct OffenseType
{
    const char *ibrs;
    const char *offense;
    const char *description;
    const char *category;
    double weight;   // within violent or non-violent
    double firearm;
    double domestic;
    double reportDelayHours;
};
const OffenseType kViolentTypes[] = {
  { "09A", "Homicide", "Murder & Nonnegligent Manslaughter", "Homicide", 0.018, 0.85, 0.15, 0.5 },
  { "11A", "Rape", "Rape", "Rape", 0.05, 0.03, 0.35, 240 },
  { "11B", "Sodomy", "Sodomy", "Rape", 0.004, 0.03, 0.35, 240 },
  { "11C", "Sexual Assault With An Object", "Sexual Assault With An Object", "Rape", 0.006, 0.03, 0.35, 240 },
  { "120", "Robbery", "Robbery", "Robbery", 0.22, 0.42, 0.02, 0.7 },
  { "13A", "Aggravated Assault", "Aggravated Assault", "Aggravated Assault", 0.702, 0.48, 0.22, 0.6 },
};
const OffenseType kOtherTypes[] = {
  { "13B", "Simple Assault", "Simple Assault", "Assault", 0.14, 0.0, 0.38, 2 },
  { "13C", "Intimidation", "Intimidation", "Assault", 0.05, 0.05, 0.3, 6 },
  { "200", "Arson", "Arson", "Arson", 0.004, 0.0, 0.02, 3 },
  { "220", "Burglary", "Burglary/Breaking & Entering", "Burglary", 0.07, 0.01, 0.03, 14 },
  { "23C", "Shoplifting", "Shoplifting", "Larceny", 0.04, 0.0, 0.0, 2 },
  { "23D", "Stealing from Building", "Theft From Building", "Larceny", 0.03, 0.0, 0.02, 16 },
  { "23F", "Stealing from Auto", "Theft From Motor Vehicle", "Larceny", 0.09, 0.0, 0.0, 12 },
  { "23G", "Stealing Auto Parts", "Theft of Motor Vehicle Parts or Accessories", "Larceny", 0.03, 0.0, 0.0, 14 },
  { "23H", "Stealing All Other", "All Other Larceny", "Larceny", 0.12, 0.0, 0.03, 20 },
  { "240", "Auto Theft", "Motor Vehicle Theft", "Motor Vehicle Theft", 0.10, 0.0, 0.01, 10 },
  { "250", "Forgery", "Counterfeiting/Forgery", "Fraud", 0.01, 0.0, 0.0, 96 },
  { "26A", "Fraud", "False Pretenses/Swindle/Confidence Game", "Fraud", 0.03, 0.0, 0.01, 120 },
  { "280", "Stolen Property", "Stolen Property Offenses", "Stolen Property", 0.02, 0.02, 0.0, 4 },
  { "290", "Property Damage", "Destruction/Damage/Vandalism of Property", "Vandalism", 0.13, 0.01, 0.08, 12 },
  { "35A", "Drug Violation", "Drug/Narcotic Violations", "Drugs", 0.04, 0.06, 0.0, 0.5 },
  { "520", "Weapon Law Violation", "Weapon Law Violations", "Weapons", 0.03, 0.85, 0.02, 0.5 },
  { "90D", "DUI", "Driving Under the Influence", "DUI", 0.02, 0.0, 0.0, 0.3 },
  { "90J", "Trespass", "Trespass of Real Property", "Trespass", 0.015, 0.0, 0.02, 2 },
  { "90Z", "All Other Offenses", "All Other Offenses", "Other", 0.05, 0.02, 0.05, 4 },
};
constexpr int kViolentTypeCount = sizeof( kViolentTypes ) / sizeof( kViolentTypes[0] );
constexpr int kOtherTypeCount = sizeof( kOtherTypes ) / sizeof( kOtherTypes[0] );
// Second offenses of a report, as indexes into kOtherTypes (290, 23H, 520, 35A, 13C, 280).
const int kSecondaryTypes[] = { 13, 8, 15, 14, 1, 12 };
const double kSecondaryWeights[] = { 0.3, 0.2, 0.2, 0.15, 0.1, 0.05 };
constexpr double kSecondaryRate = 0.10;

const char *const kDangerousStatuses[] = {
  "Demolition By Owner In Progress", "In Bid Process", "Notice to Proceed Issued (Asbestos Removal)",
  "Notice to Proceed Issued (Demolition)", "On Hold", "Ongoing Case", "Pre-Bid Process Ongoing",
  "Rehab By Owner In Progress", "Repair Case",
};
const double kDangerousStatusWeights[] = { 0.05, 0.08, 0.06, 0.07, 0.1, 0.32, 0.08, 0.08, 0.16 };

// Hour-of-day and day-of-week shapes (relative weights).
const double kViolentHours[24] = { 1.6, 1.5, 1.4, 1.1, 0.7, 0.45, 0.35, 0.35, 0.45, 0.55, 0.65, 0.75,
                                   0.85, 0.9, 0.95, 1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.7 };
const double kOtherHours[24] = { 0.9, 0.7, 0.6, 0.45, 0.35, 0.35, 0.5, 0.8, 1.1, 1.2, 1.25, 1.3,
                                 1.5, 1.35, 1.35, 1.4, 1.45, 1.5, 1.5, 1.4, 1.3, 1.2, 1.1, 1.0 };
const double kRequestHours[24] = { 0.05, 0.03, 0.02, 0.02, 0.03, 0.08, 0.3, 0.9, 1.6, 1.8, 1.8, 1.7,
                                   1.5, 1.7, 1.7, 1.6, 1.4, 1.0, 0.6, 0.45, 0.35, 0.25, 0.15, 0.08 };
// Qt day of week: 1 = Monday ... 7 = Sunday.
const double kViolentDays[8] = { 0, 0.92, 0.88, 0.9, 0.95, 1.08, 1.2, 1.17 };
const double kOtherDays[8] = { 0, 1.05, 1.02, 1.02, 1.02, 1.05, 0.95, 0.89 };
const double kRequestDays[8] = { 0, 1.25, 1.2, 1.15, 1.1, 1.0, 0.45, 0.35 };

// ---------------------------------------------------------------------------------------------

struct XY
{
    double x = 0, y = 0;
};

double dist2( double ax, double ay, double bx, double by )
{
  return ( ax - bx ) * ( ax - bx ) + ( ay - by ) * ( ay - by );
}

//! Even-odd point-in-polygon on a closed ring.
bool insideRing( const std::vector<XY> &ring, double x, double y )
{
  bool in = false;
  for ( size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++ )
  {
    const XY &a = ring[i];
    const XY &b = ring[j];
    if ( ( a.y > y ) != ( b.y > y ) && x < ( b.x - a.x ) * ( y - a.y ) / ( b.y - a.y ) + a.x )
      in = !in;
  }
  return in;
}

//! The RTM grid of rtm.md: square cells from the study area's bounding-box origin; a cell is in
//! the area when its centroid is.
struct Grid
{
    double x0 = 0, y0 = 0;
    int nx = 0, ny = 0;
    std::vector<quint8> inside;
    std::vector<int> insideCells;

    double cx( int i ) const { return x0 + ( i + 0.5 ) * kCell; }
    double cy( int j ) const { return y0 + ( j + 0.5 ) * kCell; }
    int cellOf( double x, double y ) const
    {
      const int i = static_cast<int>( std::floor( ( x - x0 ) / kCell ) );
      const int j = static_cast<int>( std::floor( ( y - y0 ) / kCell ) );
      if ( i < 0 || j < 0 || i >= nx || j >= ny )
        return -1;
      return j * nx + i;
    }
};

//! Cells whose centroid lies within \a d of a point (exact, by centroid distance).
template<typename F> void forCellsWithin( const Grid &grid, double x, double y, double d, F &&f )
{
  const int i0 = std::max( 0, static_cast<int>( std::floor( ( x - d - grid.x0 ) / kCell - 0.5 ) ) );
  const int i1 = std::min( grid.nx - 1, static_cast<int>( std::ceil( ( x + d - grid.x0 ) / kCell - 0.5 ) ) );
  const int j0 = std::max( 0, static_cast<int>( std::floor( ( y - d - grid.y0 ) / kCell - 0.5 ) ) );
  const int j1 = std::min( grid.ny - 1, static_cast<int>( std::ceil( ( y + d - grid.y0 ) / kCell - 0.5 ) ) );
  const double d2 = d * d;
  for ( int j = j0; j <= j1; ++j )
  {
    const double cy = grid.cy( j );
    for ( int i = i0; i <= i1; ++i )
    {
      if ( dist2( grid.cx( i ), cy, x, y ) <= d2 )
        f( j * grid.nx + i );
    }
  }
}

//! Proximity mask of one factor, with a running count of covered in-area cells.
struct Mask
{
    std::vector<quint8> cells;
    qint64 covered = 0;
    void mark( const Grid &grid, double x, double y, double d )
    {
      forCellsWithin( grid, x, y, d, [&]( int c ) {
        if ( !cells[c] )
        {
          cells[c] = 1;
          if ( grid.inside[c] )
            ++covered;
        }
      } );
    }
    double coverage( const Grid &grid ) const { return static_cast<double>( covered ) / grid.insideCells.size(); }
};

//! Draws in-area cells with probability proportional to a weight.
struct CellSampler
{
    std::vector<int> cells;
    std::vector<double> cumulative;
    CellSampler( const Grid &grid, const std::function<double( int )> &weight )
    {
      cells.reserve( grid.insideCells.size() );
      cumulative.reserve( grid.insideCells.size() );
      double total = 0;
      for ( int c : grid.insideCells )
      {
        const double w = weight( c );
        if ( w <= 0 )
          continue;
        total += w;
        cells.push_back( c );
        cumulative.push_back( total );
      }
    }
    int draw( DemoRandom &rng ) const { return cells[rng.pick( cumulative )]; }
};

//! Local calendar of the period: date strings, day of week and the UTC offset of every hour,
//! so date-times are written exactly like ProjectFile::formatDateTime (checked by the tests)
//! without a time-zone conversion per row.
class Calendar
{
  public:
    explicit Calendar( const QTimeZone &tz )
    {
      mDays = static_cast<int>( kPeriodFrom.daysTo( kPeriodTo ) ) + 1;
      const int total = mDays + kMarginDays;
      mDate.resize( total );
      mDow.resize( total );
      mMonth.resize( total );
      mOffset.resize( total * 24 );
      mGap.resize( total * 24 );
      for ( int d = 0; d < total; ++d )
      {
        const QDate date = kPeriodFrom.addDays( d );
        mDate[d] = date.toString( Qt::ISODate ).toLatin1();
        mDow[d] = date.dayOfWeek();
        mMonth[d] = date.month();
        for ( int h = 0; h < 24; ++h )
        {
          const QDateTime dt( date, QTime( h, 30 ), tz );
          // The hour skipped by the spring DST change: Qt 5 reports it as invalid (or moved).
          mGap[d * 24 + h] = !dt.isValid() || dt.time().hour() != h;
          mOffset[d * 24 + h] = dt.offsetFromUtc();
        }
      }
    }
    int days() const { return mDays; }
    int totalDays() const { return static_cast<int>( mDate.size() ); }
    int dayOfWeek( int d ) const { return mDow[d]; }
    int month( int d ) const { return mMonth[d]; }
    QDate date( int d ) const { return kPeriodFrom.addDays( d ); }

    //! "2024-05-28T02:00:00-05:00" for a local time given as seconds from the period start.
    QString format( qint64 seconds ) const
    {
      int d = static_cast<int>( seconds / 86400 );
      int s = static_cast<int>( seconds % 86400 );
      if ( d >= totalDays() )
      {
        d = totalDays() - 1;
        s = 86399;
      }
      int h = s / 3600;
      if ( mGap[d * 24 + h] )
        ++h; // 2:xx does not exist on that day: clocks read 3:xx
      const int off = mOffset[d * 24 + std::min( h, 23 )];
      const int offAbs = std::abs( off ) / 60;
      char buf[40];
      std::snprintf( buf, sizeof buf, "%sT%02d:%02d:%02d%c%02d:%02d", mDate[d].constData(), h, ( s / 60 ) % 60, s % 60,
                     off < 0 ? '-' : '+', offAbs / 60, offAbs % 60 );
      return QString::fromLatin1( buf );
    }
    QString formatDate( int d ) const { return QString::fromLatin1( mDate[std::clamp( d, 0, totalDays() - 1 )] ); }

  private:
    int mDays = 0;
    std::vector<QByteArray> mDate;
    std::vector<int> mDow, mMonth;
    std::vector<int> mOffset;
    std::vector<quint8> mGap;
};

QString ordinal( int n )
{
  const int mod100 = n % 100;
  const char *suffix = "TH";
  if ( mod100 < 11 || mod100 > 13 )
  {
    switch ( n % 10 )
    {
      case 1:
        suffix = "ST";
        break;
      case 2:
        suffix = "ND";
        break;
      case 3:
        suffix = "RD";
        break;
      default:
        break;
    }
  }
  return QString::number( n ) + QLatin1String( suffix );
}

//! Streets of the grid and addresses of points. North-south streets are named ("MAIN ST" in
//! the middle); east-west streets are numbered from the north edge; numbers go up 100 a block.
class StreetGrid
{
  public:
    StreetGrid( const Grid &grid )
      : mX0( grid.x0 + kCell / 2 )
      , mY0( grid.y0 + kCell / 2 )
      , mTop( grid.y0 + grid.ny * kCell )
      , mColumns( static_cast<int>( grid.nx * kCell / kBlock ) + 1 )
      , mRows( static_cast<int>( grid.ny * kCell / kBlock ) + 1 )
    {
      mMainColumn = mColumns / 2;
      constexpr int nameCount = sizeof( kStreetNames ) / sizeof( kStreetNames[0] );
      for ( int k = 0; k < mColumns; ++k )
      {
        if ( k == mMainColumn )
        {
          mNames << QStringLiteral( "MAIN ST" );
          continue;
        }
        const int idx = k < mMainColumn ? mMainColumn - k - 1 : k - mMainColumn - 1 + nameCount / 2;
        mNames << QStringLiteral( "%1 %2" ).arg( QLatin1String( kStreetNames[idx % nameCount] ),
                                                 QLatin1String( kStreetSuffixes[( idx / nameCount ) % 5] ) );
      }
    }
    double streetX( int k ) const { return mX0 + k * kBlock; }
    double streetY( int m ) const { return mY0 + m * kBlock; }

    /**
     * Pulls a point uniformly drawn in cell \a c towards a street crossing the cell (people,
     * lots and lights line the streets), keeping it strictly inside the cell so that it counts
     * for the cell it was drawn for.
     */
    XY placeInCell( const Grid &grid, int c, DemoRandom &rng, double setbackMean = 10.0 ) const
    {
      const int i = c % grid.nx;
      const int j = c / grid.nx;
      const double xmin = grid.x0 + i * kCell, ymin = grid.y0 + j * kCell;
      XY p { xmin + rng.uniform( 0.5, kCell - 0.5 ), ymin + rng.uniform( 0.5, kCell - 0.5 ) };
      const double sx = streetX( static_cast<int>( std::floor( ( p.x - mX0 ) / kBlock + 0.5 ) ) );
      const double sy = streetY( static_cast<int>( std::floor( ( p.y - mY0 ) / kBlock + 0.5 ) ) );
      const bool vertical = sx > xmin && sx < xmin + kCell;
      const bool horizontal = sy > ymin && sy < ymin + kCell;
      auto setback = [&]() { return ( rng.chance( 0.5 ) ? 1.0 : -1.0 ) * std::min( 28.0, 3.0 + rng.exponential( setbackMean ) ); };
      if ( vertical && ( !horizontal || rng.chance( 0.5 ) ) )
        p.x = sx + setback();
      else if ( horizontal )
        p.y = sy + setback();
      p.x = std::clamp( p.x, xmin + 0.01, xmin + kCell - 0.01 );
      p.y = std::clamp( p.y, ymin + 0.01, ymin + kCell - 0.01 );
      return p;
    }

    struct Address
    {
        int block;     // 100s
        int number;    // house number
        QString street;
    };

    Address address( double x, double y ) const
    {
      const int k = std::clamp( static_cast<int>( std::floor( ( x - mX0 ) / kBlock + 0.5 ) ), 0, mColumns - 1 );
      const int m = std::clamp( static_cast<int>( std::floor( ( y - mY0 ) / kBlock + 0.5 ) ), 0, mRows - 1 );
      const double dv = std::abs( x - streetX( k ) );
      const double dh = std::abs( y - streetY( m ) );
      if ( dv <= dh )
      {
        // On a north-south street: numbered by the east-west streets north of the point.
        const double fromTop = std::max( 0.0, mTop - y );
        const int row = static_cast<int>( fromTop / kBlock );
        const int within = std::clamp( static_cast<int>( ( fromTop - row * kBlock ) / kBlock * 49 ), 0, 48 );
        const int block = ( row + 1 ) * 100;
        return Address { block, block + 2 * within + ( x > streetX( k ) ? 0 : 1 ), mNames[k] };
      }
      const double xMain = streetX( mMainColumn );
      const double along = std::abs( x - xMain );
      const int col = static_cast<int>( along / kBlock );
      const int within = std::clamp( static_cast<int>( ( along - col * kBlock ) / kBlock * 49 ), 0, 48 );
      const int block = col * 100;
      const int streetNumber = std::max( 1, static_cast<int>( ( mTop - streetY( m ) ) / kBlock + 0.5 ) );
      const QString name = QStringLiteral( "%1 %2 ST" ).arg( x >= xMain ? QLatin1String( "E" ) : QLatin1String( "W" ), ordinal( streetNumber ) );
      return Address { block, std::max( 1, block + 2 * within + ( y > streetY( m ) ? 0 : 1 ) ), name };
    }

  private:
    double mX0, mY0, mTop;
    int mColumns, mRows;
    int mMainColumn = 0;
    QStringList mNames;
};

QString titleCase( const QString &upper )
{
  QStringList words = upper.toLower().split( QLatin1Char( ' ' ) );
  for ( QString &w : words )
  {
    if ( !w.isEmpty() && w.at( 0 ).isLetter() )
      w[0] = w.at( 0 ).toUpper();
  }
  return words.join( QLatin1Char( ' ' ) );
}

//! A smooth random field on the grid: Gaussian bumps (+ an optional gradient), scaled to [0, 1].
std::vector<float> smoothField( const Grid &grid, DemoRandom &rng, int bumps, double gradientX, double centerPeak, double floor )
{
  const double w = grid.nx * kCell, h = grid.ny * kCell;
  struct Bump
  {
      double x, y, s2, a;
  };
  std::vector<Bump> list;
  const double typical = std::sqrt( w * h / bumps );
  for ( int b = 0; b < bumps; ++b )
  {
    const double s = typical * rng.uniform( 0.25, 0.55 );
    list.push_back( Bump { grid.x0 + rng.uniform( 0.05, 0.95 ) * w, grid.y0 + rng.uniform( 0.05, 0.95 ) * h, 2 * s * s, rng.uniform( 0.4, 1.0 ) } );
  }
  std::vector<float> f( grid.inside.size(), 0.f );
  double maxV = 0;
  const double mx = grid.x0 + w / 2, my = grid.y0 + h / 2;
  const double peak2 = 2 * ( 0.35 * w ) * ( 0.35 * h );
  for ( int c : grid.insideCells )
  {
    const double x = grid.cx( c % grid.nx ), y = grid.cy( c / grid.nx );
    double v = floor + gradientX * ( x - grid.x0 ) / w + centerPeak * std::exp( -dist2( x, y, mx, my ) / peak2 );
    for ( const Bump &b : list )
    {
      const double d2 = dist2( x, y, b.x, b.y );
      if ( d2 < 9 * b.s2 )
        v += b.a * std::exp( -d2 / b.s2 );
    }
    f[c] = static_cast<float>( v );
    maxV = std::max( maxV, v );
  }
  for ( int c : grid.insideCells )
    f[c] = static_cast<float>( f[c] / maxV );
  return f;
}

struct Neighborhood
{
    XY seed;
    QString id;
    QString name;
    QgsGeometry geometry;
    double areaSqKm = 0;
    int district = 0; // 0-based
    int division = 0; // index into divisions
    QString beat;
    int vacant = 0;
    bool grant = false;
};

struct Division
{
    QString code;
    QString name;
    XY center;
};

struct Parcel
{
    XY p;
    int kind; // 0 vacant_lot, 1 vacant_structure, 2 land_bank
    int listedDay;
    int statusIdx;
};

struct Building
{
    XY p;
    int year;
    int openedDay; // day of year
    int statusIdx;
};

struct Request
{
    XY p;
    qint64 created; // seconds from period start, local
    qint64 closed;  // -1: open
    quint8 type;
    quint8 status;
};

struct Offense
{
    XY p;
    qint64 occurred;
    qint64 reported;
    int report;      // index of its report
    quint8 type;     // index into kViolentTypes / kOtherTypes
    bool violent;
    bool firearm;
    bool domestic;
    bool secondary;
    bool missing;
    bool followUp;   // near-repeat shooting
};

bool isShootingType( const OffenseType &t )
{
  return qstrcmp( t.ibrs, "09A" ) == 0 || qstrcmp( t.ibrs, "13A" ) == 0 || qstrcmp( t.ibrs, "120" ) == 0;
}

//! Draws a local time (seconds from the period start) from day and hour shapes.
struct TimeSampler
{
    std::vector<double> days;
    std::vector<double> hours;
    TimeSampler( const Calendar &cal, const double *dow, const double *hourShape, double summerBoost, bool summerOnly = false )
    {
      std::vector<double> w( cal.days() );
      for ( int d = 0; d < cal.days(); ++d )
      {
        const int m = cal.month( d );
        double season = 1.0 + summerBoost * std::sin( ( m - 4 ) / 12.0 * 2 * M_PI );
        if ( summerOnly )
          season = ( m >= 4 && m <= 10 ) ? 1.0 + 0.6 * std::sin( ( m - 4 ) / 6.0 * M_PI ) : 0.08;
        w[d] = dow[cal.dayOfWeek( d )] * std::max( 0.05, season );
      }
      days = DemoRandom::cumulate( w );
      hours = DemoRandom::cumulate( std::vector<double>( hourShape, hourShape + 24 ) );
    }
    qint64 draw( DemoRandom &rng ) const
    {
      const int d = rng.pick( days );
      const int h = rng.pick( hours );
      return static_cast<qint64>( d ) * 86400 + h * 3600 + rng.belowInt( 3600 );
    }
};

template<size_t N> int pickWeighted( DemoRandom &rng, const double ( &weights )[N] )
{
  double total = 0;
  for ( double w : weights )
    total += w;
  double t = rng.uniform() * total;
  for ( size_t i = 0; i < N; ++i )
  {
    t -= weights[i];
    if ( t < 0 )
      return static_cast<int>( i );
  }
  return static_cast<int>( N - 1 );
}

QJsonValue seedJson( quint64 seed )
{
  if ( seed <= ( 1ull << 53 ) )
    return QJsonValue( static_cast<double>( seed ) );
  return QJsonValue( QString::number( seed ) );
}

double round3( double v )
{
  return std::round( v * 1000.0 ) / 1000.0;
}

QgsGeometry polygonsOnly( const QgsGeometry &g )
{
  if ( g.isNull() )
    return g;
  if ( QgsWkbTypes::geometryType( g.wkbType() ) == QgsWkbTypes::PolygonGeometry )
  {
    QgsGeometry multi = g;
    multi.convertToMultiType();
    return multi;
  }
  QgsMultiPolygonXY parts;
  const QVector<QgsGeometry> collection = g.asGeometryCollection();
  for ( const QgsGeometry &part : collection )
  {
    if ( QgsWkbTypes::geometryType( part.wkbType() ) != QgsWkbTypes::PolygonGeometry )
      continue;
    if ( part.isMultipart() )
      parts += part.asMultiPolygon();
    else
      parts << part.asPolygon();
  }
  return QgsGeometry::fromMultiPolygonXY( parts );
}

/**
 * The generator: builds everything in memory (deterministically), then writes it in one
 * transaction. Separate from the public function so that errors and cancel have one exit.
 */
class Generator
{
  public:
    Generator( const DemoOptions &options, QgsFeedback *feedback )
      : mOptions( options )
      , mParams( sizeParams( options.size ) )
      , mFeedback( feedback )
    {}

    bool build( QString *error );
    bool write( ProjectFile &project, QString *error );
    void fillSummary( DemoSummary *summary ) const;

  private:
    bool canceled() const { return mFeedback && mFeedback->isCanceled(); }
    void progress( double p )
    {
      if ( mFeedback )
        mFeedback->setProgress( p );
    }
    DemoRandom stream( Stream s ) const { return DemoRandom( mOptions.seed, s ); }

    void buildBoundary();
    bool buildNeighborhoods( QString *error );
    void buildDistricts();
    void buildFields();
    void placeVacant();
    void placeDangerous();
    void placeDumpingAndLights();
    void buildRequests();
    void buildOffenses();
    void chooseGrants();
    int neighborhoodOf( double x, double y ) const;
    QString zipOf( double x, double y ) const;
    QJsonObject truth() const;

    DemoOptions mOptions;
    SizeParams mParams;
    QgsFeedback *mFeedback = nullptr;

    std::vector<XY> mRing;
    QgsGeometry mBoundary;
    Grid mGrid;
    std::unique_ptr<StreetGrid> mStreets;
    std::unique_ptr<Calendar> mCalendar;
    std::vector<Neighborhood> mNeighborhoods;
    std::vector<int> mCellNeighborhood; // nearest seed of each cell centroid, -1 when ambiguous
    std::vector<QgsGeometry> mDistricts;
    std::vector<Division> mDivisions;
    std::vector<QgsGeometry> mDivisionGeometries;
    std::vector<float> mDisinvestment;
    std::vector<float> mPopulation;
    std::vector<Parcel> mParcels;
    std::vector<Building> mBuildings;
    std::vector<XY> mDumpingSites;
    std::vector<XY> mLights;
    std::vector<Request> mRequests;
    std::vector<Offense> mOffenses;
    std::array<Mask, FactorCount> mMasks;
    double mBaseRate = 0; // expected violent offenses per cell without any factor
    qint64 mFollowUps = 0;
    qint64 mPersons = 0;
    QJsonObject mTruth; // as written, with the grants and person count
};

void Generator::buildBoundary()
{
  DemoRandom rng = stream( StreamBoundary );
  // An irregular, roughly elliptical outline: a few low harmonics, then a little noise.
  struct Harmonic
  {
      int k;
      double a, phase;
  };
  std::vector<Harmonic> harmonics;
  for ( int k = 2; k <= 7; ++k )
    harmonics.push_back( Harmonic { k, rng.uniform( 0.015, 0.09 ) / std::sqrt( k - 1.0 ), rng.uniform( 0, 2 * M_PI ) } );
  constexpr int vertices = 160;
  QgsPolylineXY ring;
  for ( int v = 0; v < vertices; ++v )
  {
    const double t = 2 * M_PI * v / vertices;
    double r = 1.0;
    for ( const Harmonic &h : harmonics )
      r += h.a * std::cos( h.k * t + h.phase );
    r += rng.normal( 0, 0.006 );
    // Round to centimetres: the outline is data, stored exactly as generated.
    const double x = std::round( ( kCenterX + mParams.semiX * r * std::cos( t ) ) * 100 ) / 100;
    const double y = std::round( ( kCenterY + mParams.semiY * r * std::sin( t ) ) * 100 ) / 100;
    ring << QgsPointXY( x, y );
    mRing.push_back( XY { x, y } );
  }
  ring << ring.first();
  mBoundary = QgsGeometry::fromPolygonXY( QgsPolygonXY { ring } );

  const QgsRectangle box = mBoundary.boundingBox();
  mGrid.x0 = box.xMinimum();
  mGrid.y0 = box.yMinimum();
  mGrid.nx = static_cast<int>( std::ceil( box.width() / kCell ) );
  mGrid.ny = static_cast<int>( std::ceil( box.height() / kCell ) );
  mGrid.inside.assign( static_cast<size_t>( mGrid.nx ) * mGrid.ny, 0 );
  for ( int j = 0; j < mGrid.ny; ++j )
  {
    for ( int i = 0; i < mGrid.nx; ++i )
    {
      if ( insideRing( mRing, mGrid.cx( i ), mGrid.cy( j ) ) )
      {
        mGrid.inside[j * mGrid.nx + i] = 1;
        mGrid.insideCells.push_back( j * mGrid.nx + i );
      }
    }
  }
  for ( Mask &m : mMasks )
    m.cells.assign( mGrid.inside.size(), 0 );
  mStreets = std::make_unique<StreetGrid>( mGrid );
}

bool Generator::buildNeighborhoods( QString *error )
{
  DemoRandom rng = stream( StreamSeeds );
  const double area = mBoundary.area();
  const int target = mParams.neighborhoods;
  double minDist = 0.75 * std::sqrt( area / target );
  std::vector<XY> seeds;
  const QgsRectangle box = mBoundary.boundingBox();
  int failures = 0;
  while ( static_cast<int>( seeds.size() ) < target )
  {
    const XY p { rng.uniform( box.xMinimum(), box.xMaximum() ), rng.uniform( box.yMinimum(), box.yMaximum() ) };
    if ( !insideRing( mRing, p.x, p.y ) )
      continue;
    bool ok = true;
    for ( const XY &s : seeds )
    {
      if ( dist2( s.x, s.y, p.x, p.y ) < minDist * minDist )
      {
        ok = false;
        break;
      }
    }
    if ( !ok )
    {
      if ( ++failures > 2000 )
      {
        minDist *= 0.9; // the outline is too tight for this spacing: relax it
        failures = 0;
      }
      continue;
    }
    failures = 0;
    seeds.push_back( p );
  }
  // Number the neighborhoods north to south in bands, west to east within a band.
  const double band = std::sqrt( area / target );
  std::stable_sort( seeds.begin(), seeds.end(), [&]( const XY &a, const XY &b ) {
    const int ba = static_cast<int>( ( box.yMaximum() - a.y ) / band );
    const int bb = static_cast<int>( ( box.yMaximum() - b.y ) / band );
    return ba != bb ? ba < bb : a.x < b.x;
  } );

  QgsMultiPointXY points;
  for ( const XY &s : seeds )
    points << QgsPointXY( s.x, s.y );
  const QgsGeometry diagram = QgsGeometry::fromMultiPointXY( points ).voronoiDiagram( QgsGeometry::fromRect( box.buffered( 2000 ) ) );
  const QVector<QgsGeometry> cells = diagram.asGeometryCollection();
  std::vector<QgsGeometry> bySeed( seeds.size() );
  for ( const QgsGeometry &cell : cells )
  {
    // A Voronoi cell is convex: its centroid is inside it, and its nearest seed owns it.
    const QgsPointXY c = cell.centroid().asPoint();
    size_t best = 0;
    double bestD = std::numeric_limits<double>::max();
    for ( size_t s = 0; s < seeds.size(); ++s )
    {
      const double d = dist2( seeds[s].x, seeds[s].y, c.x(), c.y() );
      if ( d < bestD )
      {
        bestD = d;
        best = s;
      }
    }
    bySeed[best] = cell;
  }

  DemoRandom names = stream( StreamNames );
  QSet<QString> used;
  constexpr int firstCount = sizeof( kNameFirst ) / sizeof( kNameFirst[0] );
  constexpr int secondCount = sizeof( kNameSecond ) / sizeof( kNameSecond[0] );
  constexpr int directionCount = sizeof( kNameDirection ) / sizeof( kNameDirection[0] );
  for ( size_t s = 0; s < seeds.size(); ++s )
  {
    if ( bySeed[s].isNull() )
    {
      *error = QObject::tr( "Demo city: the neighborhood diagram is incomplete." );
      return false;
    }
    Neighborhood n;
    n.seed = seeds[s];
    n.id = QString::number( s + 1 );
    n.geometry = polygonsOnly( bySeed[s].intersection( mBoundary ) );
    n.areaSqKm = round3( n.geometry.area() / 1e6 );
    QString name;
    do
    {
      const QString first = QLatin1String( kNameFirst[names.belowInt( firstCount )] );
      const QString second = QLatin1String( kNameSecond[names.belowInt( secondCount )] );
      const double r = names.uniform();
      if ( r < 0.12 )
        name = QStringLiteral( "%1 %2" ).arg( QLatin1String( kNameDirection[names.belowInt( directionCount )] ), first );
      else if ( r < 0.25 )
        name = QStringLiteral( "%1 %2 %3" ).arg( QLatin1String( kNameDirection[names.belowInt( directionCount )] ), first, second );
      else
        name = QStringLiteral( "%1 %2" ).arg( first, second );
    } while ( used.contains( name ) );
    used.insert( name );
    n.name = name;
    mNeighborhoods.push_back( std::move( n ) );
  }

  // Nearest seed per cell centroid; cells that a Voronoi edge may cross are resolved per point.
  const double diag = kCell * std::sqrt( 2.0 );
  mCellNeighborhood.assign( mGrid.inside.size(), -1 );
  for ( int j = 0; j < mGrid.ny; ++j )
  {
    for ( int i = 0; i < mGrid.nx; ++i )
    {
      const double x = mGrid.cx( i ), y = mGrid.cy( j );
      double d1 = std::numeric_limits<double>::max(), d2 = d1;
      int best = 0;
      for ( size_t s = 0; s < seeds.size(); ++s )
      {
        const double d = dist2( seeds[s].x, seeds[s].y, x, y );
        if ( d < d1 )
        {
          d2 = d1;
          d1 = d;
          best = static_cast<int>( s );
        }
        else if ( d < d2 )
          d2 = d;
      }
      if ( std::sqrt( d2 ) - std::sqrt( d1 ) > diag )
        mCellNeighborhood[j * mGrid.nx + i] = best;
    }
  }
  return true;
}

int Generator::neighborhoodOf( double x, double y ) const
{
  const int c = mGrid.cellOf( x, y );
  if ( c >= 0 && mCellNeighborhood[c] >= 0 )
    return mCellNeighborhood[c];
  int best = 0;
  double bestD = std::numeric_limits<double>::max();
  for ( size_t s = 0; s < mNeighborhoods.size(); ++s )
  {
    const double d = dist2( mNeighborhoods[s].seed.x, mNeighborhoods[s].seed.y, x, y );
    if ( d < bestD )
    {
      bestD = d;
      best = static_cast<int>( s );
    }
  }
  return best;
}

QString Generator::zipOf( double x, double y ) const
{
  const double zone = mOptions.size == DemoOptions::Size::City ? 4000.0 : 2000.0;
  const int zi = std::max( 0, static_cast<int>( ( x - mGrid.x0 ) / zone ) );
  const int zj = std::max( 0, static_cast<int>( ( y - mGrid.y0 ) / zone ) );
  const int zonesX = static_cast<int>( mGrid.nx * kCell / zone ) + 1;
  constexpr int zipCount = sizeof( kZips ) / sizeof( kZips[0] );
  return QString::number( kZips[( zj * zonesX + zi ) % zipCount] );
}

void Generator::buildDistricts()
{
  DemoRandom rng = stream( StreamDistricts );
  // k-means (a few Lloyd steps, area-weighted) of neighborhood seeds into 6 groups: districts
  // and divisions are unions of whole neighborhoods, as in a real city.
  auto group = [&]( int k, std::vector<XY> &centers ) {
    centers.clear();
    const int n = static_cast<int>( mNeighborhoods.size() );
    centers.push_back( mNeighborhoods[rng.belowInt( n )].seed );
    while ( static_cast<int>( centers.size() ) < k )
    {
      // farthest point from the chosen centers
      double bestD = -1;
      int best = 0;
      for ( int s = 0; s < n; ++s )
      {
        double d = std::numeric_limits<double>::max();
        for ( const XY &c : centers )
          d = std::min( d, dist2( c.x, c.y, mNeighborhoods[s].seed.x, mNeighborhoods[s].seed.y ) );
        if ( d > bestD )
        {
          bestD = d;
          best = s;
        }
      }
      centers.push_back( mNeighborhoods[best].seed );
    }
    std::vector<int> assign( n, 0 );
    for ( int iter = 0; iter < 8; ++iter )
    {
      for ( int s = 0; s < n; ++s )
      {
        double bestD = std::numeric_limits<double>::max();
        for ( int c = 0; c < k; ++c )
        {
          const double d = dist2( centers[c].x, centers[c].y, mNeighborhoods[s].seed.x, mNeighborhoods[s].seed.y );
          if ( d < bestD )
          {
            bestD = d;
            assign[s] = c;
          }
        }
      }
      std::vector<double> sx( k, 0 ), sy( k, 0 ), sw( k, 0 );
      for ( int s = 0; s < n; ++s )
      {
        const double w = mNeighborhoods[s].areaSqKm + 1e-6;
        sx[assign[s]] += w * mNeighborhoods[s].seed.x;
        sy[assign[s]] += w * mNeighborhoods[s].seed.y;
        sw[assign[s]] += w;
      }
      for ( int c = 0; c < k; ++c )
      {
        if ( sw[c] > 0 )
          centers[c] = XY { sx[c] / sw[c], sy[c] / sw[c] };
      }
    }
    return assign;
  };

  // Council districts 1-6, numbered north-west to south-east.
  std::vector<XY> centers;
  std::vector<int> assign = group( 6, centers );
  std::vector<int> order( 6 );
  std::iota( order.begin(), order.end(), 0 );
  std::stable_sort( order.begin(), order.end(), [&]( int a, int b ) { return centers[a].y - centers[a].x > centers[b].y - centers[b].x; } );
  std::vector<int> rank( 6 );
  for ( int r = 0; r < 6; ++r )
    rank[order[r]] = r;
  std::vector<QVector<QgsGeometry>> parts( 6 );
  for ( size_t s = 0; s < mNeighborhoods.size(); ++s )
  {
    mNeighborhoods[s].district = rank[assign[s]];
    parts[rank[assign[s]]] << mNeighborhoods[s].geometry;
  }
  for ( int d = 0; d < 6; ++d )
    mDistricts.push_back( polygonsOnly( QgsGeometry::unaryUnion( parts[d] ) ) );

  // Patrol divisions: Central nearest the middle, North / South at the ends, then East,
  // Metro (west) and Shoal Creek.
  std::vector<XY> dcenters;
  std::vector<int> dassign = group( 6, dcenters );
  std::vector<int> remaining { 0, 1, 2, 3, 4, 5 };
  auto take = [&]( const std::function<double( const XY & )> &score ) {
    auto it = std::min_element( remaining.begin(), remaining.end(), [&]( int a, int b ) { return score( dcenters[a] ) < score( dcenters[b] ); } );
    const int v = *it;
    remaining.erase( it );
    return v;
  };
  std::vector<QString> codes( 6 );
  std::vector<QString> divisionNames( 6 );
  const int central = take( [&]( const XY &c ) { return dist2( c.x, c.y, kCenterX, kCenterY ); } );
  const int north = take( [&]( const XY &c ) { return -c.y; } );
  const int south = take( [&]( const XY &c ) { return c.y; } );
  const int east = take( [&]( const XY &c ) { return -c.x; } );
  const int metro = take( [&]( const XY &c ) { return c.x; } );
  const int shoal = remaining.front();
  const std::vector<std::pair<int, std::pair<const char *, const char *>>> named {
    { central, { "CPD", "Central Patrol Division" } }, { east, { "EPD", "East Patrol Division" } },
    { metro, { "MPD", "Metro Patrol Division" } },     { north, { "NPD", "North Patrol Division" } },
    { south, { "SPD", "South Patrol Division" } },     { shoal, { "SCP", "Shoal Creek Patrol Division" } },
  };
  std::vector<int> divisionIndex( 6 );
  for ( size_t i = 0; i < named.size(); ++i )
  {
    divisionIndex[named[i].first] = static_cast<int>( i );
    mDivisions.push_back( Division { QLatin1String( named[i].second.first ), QLatin1String( named[i].second.second ), dcenters[named[i].first] } );
  }
  std::vector<QVector<QgsGeometry>> divParts( 6 );
  std::vector<int> beatsInDivision( 6, 0 );
  for ( size_t s = 0; s < mNeighborhoods.size(); ++s )
  {
    const int d = divisionIndex[dassign[s]];
    mNeighborhoods[s].division = d;
    divParts[d] << mNeighborhoods[s].geometry;
    // KCPD beats: three digits, the division's hundred (CPD 1xx ... SCP 6xx) and a sequence.
    mNeighborhoods[s].beat = QString::number( ( d + 1 ) * 100 + 10 + ( beatsInDivision[d]++ ) % 90 );
  }
  for ( int d = 0; d < 6; ++d )
    mDivisionGeometries.push_back( polygonsOnly( QgsGeometry::unaryUnion( divParts[d] ) ) );
}

void Generator::buildFields()
{
  DemoRandom rng = stream( StreamFields );
  // Disinvestment: bumps plus an east-west gradient (the east side is poorer). Population:
  // denser towards the middle, with its own independent bumps.
  mDisinvestment = smoothField( mGrid, rng, mParams.fieldBumps, 0.35, 0.0, 0.02 );
  mPopulation = smoothField( mGrid, rng, mParams.fieldBumps, 0.0, 0.9, 0.25 );
}

void Generator::placeVacant()
{
  DemoRandom rng = stream( StreamVacant );
  const CellSampler clusters( mGrid, [&]( int c ) { const double d = mDisinvestment[c]; return d * d * d * d; } );
  Mask &mask = mMasks[FactorVacant];
  const double d = kFactors[FactorVacant].distance;
  const double target = kFactors[FactorVacant].coverageTarget;
  // Vacancy comes in clusters of lots along a few blocks.
  while ( mask.coverage( mGrid ) < target )
  {
    const int center = clusters.draw( rng );
    const int ci = center % mGrid.nx, cj = center / mGrid.nx;
    const int size = 1 + rng.poisson( 3.0 );
    for ( int k = 0; k < size; ++k )
    {
      const int i = std::clamp( ci + static_cast<int>( std::lround( rng.normal( 0, 1.6 ) ) ), 0, mGrid.nx - 1 );
      const int j = std::clamp( cj + static_cast<int>( std::lround( rng.normal( 0, 1.6 ) ) ), 0, mGrid.ny - 1 );
      const int c = j * mGrid.nx + i;
      if ( !mGrid.inside[c] )
        continue;
      Parcel parcel;
      parcel.p = mStreets->placeInCell( mGrid, c, rng, 6.0 );
      const double r = rng.uniform();
      parcel.kind = r < 0.47 ? 0 : ( r < 0.82 ? 1 : 2 );
      parcel.listedDay = -rng.belowInt( 8 * 365 ) + rng.belowInt( mCalendar->days() );
      parcel.statusIdx = rng.belowInt( 2 );
      mParcels.push_back( parcel );
      mask.mark( mGrid, parcel.p.x, parcel.p.y, d );
    }
  }
}

void Generator::placeDangerous()
{
  DemoRandom rng = stream( StreamDangerous );
  const CellSampler cells( mGrid, [&]( int c ) { const double d = mDisinvestment[c]; return d * d * d; } );
  std::vector<int> structures;
  for ( size_t i = 0; i < mParcels.size(); ++i )
  {
    if ( mParcels[i].kind == 1 )
      structures.push_back( static_cast<int>( i ) );
  }
  Mask &mask = mMasks[FactorDangerous];
  const double d = kFactors[FactorDangerous].distance;
  while ( mask.coverage( mGrid ) < kFactors[FactorDangerous].coverageTarget && static_cast<int>( mBuildings.size() ) < mParams.dangerousCap )
  {
    Building b;
    // Many dangerous buildings are vacant structures already on the vacancy list.
    if ( !structures.empty() && rng.chance( 0.4 ) )
    {
      const XY &s = mParcels[structures[rng.belowInt( static_cast<int>( structures.size() ) )]].p;
      b.p = XY { s.x + rng.normal( 0, 1.5 ), s.y + rng.normal( 0, 1.5 ) };
    }
    else
      b.p = mStreets->placeInCell( mGrid, cells.draw( rng ), rng, 6.0 );
    b.year = 2016 + rng.belowInt( 10 );
    b.openedDay = rng.belowInt( 365 );
    b.statusIdx = pickWeighted( rng, kDangerousStatusWeights );
    mBuildings.push_back( b );
    mask.mark( mGrid, b.p.x, b.p.y, d );
  }
}

void Generator::placeDumpingAndLights()
{
  // Chronic dumping sites: where disinvestment is, but less concentrated than vacancy. The
  // proximity mask is marked from the requests themselves later (they are the RTM features).
  {
    DemoRandom rng = stream( StreamDumping );
    const CellSampler cells( mGrid, [&]( int c ) { const double v = mDisinvestment[c]; return v * v; } );
    Mask probe;
    probe.cells.assign( mGrid.inside.size(), 0 );
    while ( probe.coverage( mGrid ) < kFactors[FactorDumping].coverageTarget )
    {
      const XY p = mStreets->placeInCell( mGrid, cells.draw( rng ), rng, 4.0 );
      mDumpingSites.push_back( p );
      probe.mark( mGrid, p.x, p.y, kFactors[FactorDumping].distance );
    }
  }
  // Street lights reported out: spread with population, independent of everything planted.
  {
    DemoRandom rng = stream( StreamStreetlight );
    const CellSampler cells( mGrid, [&]( int c ) { return 0.3 + mPopulation[c]; } );
    Mask probe;
    probe.cells.assign( mGrid.inside.size(), 0 );
    while ( probe.coverage( mGrid ) < kFactors[FactorStreetlight].coverageTarget )
    {
      const XY p = mStreets->placeInCell( mGrid, cells.draw( rng ), rng, 2.0 );
      mLights.push_back( p );
      probe.mark( mGrid, p.x, p.y, kFactors[FactorStreetlight].distance );
    }
  }
}

void Generator::buildRequests()
{
  DemoRandom rng = stream( StreamRequests );
  const qint64 total = static_cast<qint64>( mParams.requestsPerYear ) * kYears;
  const CellSampler disinvested( mGrid, [&]( int c ) { const double d = mDisinvestment[c]; return 0.02 + d * d; } );
  const CellSampler people( mGrid, [&]( int c ) { return mPopulation[c]; } );
  const TimeSampler regular( *mCalendar, kRequestDays, kRequestHours, 0.1 );
  const TimeSampler summer( *mCalendar, kRequestDays, kRequestHours, 0.0, true );
  std::vector<int> structures;
  for ( size_t i = 0; i < mParcels.size(); ++i )
  {
    if ( mParcels[i].kind == 1 )
      structures.push_back( static_cast<int>( i ) );
  }
  std::vector<double> shares;
  for ( const RequestType &t : kRequestTypes )
    shares.push_back( t.share );
  const std::vector<double> typeCumulative = DemoRandom::cumulate( shares );
  const qint64 periodEnd = static_cast<qint64>( mCalendar->days() ) * 86400;

  // Every site and light gets at least one request, so each is a feature of its factor layer.
  std::vector<int> dumpingOrder, lightOrder;
  int dumpingType = -1, lightType = -1;
  for ( int t = 0; t < kRequestTypeCount; ++t )
  {
    if ( kRequestTypes[t].placement == Placement::DumpingSite )
      dumpingType = t;
    if ( kRequestTypes[t].placement == Placement::StreetLight )
      lightType = t;
  }
  // Chronic sites differ in how often they are reported (heavy-tailed).
  std::vector<double> siteWeights( mDumpingSites.size() );
  for ( double &w : siteWeights )
    w = rng.exponential( 1.0 ) + 0.1;
  const std::vector<double> siteCumulative = DemoRandom::cumulate( siteWeights );
  size_t nextSite = 0, nextLight = 0;

  mRequests.reserve( total );
  auto around = [&]( const XY &p, double sd ) { return XY { p.x + rng.normal( 0, sd ), p.y + rng.normal( 0, sd ) }; };
  for ( qint64 n = 0; n < total; ++n )
  {
    if ( ( n & 0xFFFF ) == 0 && canceled() )
      return;
    Request r;
    int type = rng.pick( typeCumulative );
    // The first requests of these two types visit every site / light once.
    if ( nextSite < mDumpingSites.size() && n % 7 == 0 )
      type = dumpingType;
    else if ( nextLight < mLights.size() && n % 7 == 3 )
      type = lightType;
    const RequestType &t = kRequestTypes[type];
    switch ( t.placement )
    {
      case Placement::Disinvested:
        r.p = mStreets->placeInCell( mGrid, disinvested.draw( rng ), rng );
        break;
      case Placement::NearVacant:
        if ( !mParcels.empty() && rng.chance( 0.6 ) )
          r.p = around( mParcels[rng.belowInt( static_cast<int>( mParcels.size() ) )].p, 4.0 );
        else
          r.p = mStreets->placeInCell( mGrid, disinvested.draw( rng ), rng );
        break;
      case Placement::NearStructure:
        if ( !structures.empty() && rng.chance( 0.75 ) )
          r.p = around( mParcels[structures[rng.belowInt( static_cast<int>( structures.size() ) )]].p, 4.0 );
        else
          r.p = mStreets->placeInCell( mGrid, disinvested.draw( rng ), rng );
        break;
      case Placement::NearDangerous:
        if ( !mBuildings.empty() && rng.chance( 0.85 ) )
          r.p = around( mBuildings[rng.belowInt( static_cast<int>( mBuildings.size() ) )].p, 4.0 );
        else
          r.p = mStreets->placeInCell( mGrid, disinvested.draw( rng ), rng );
        break;
      case Placement::DumpingSite:
        r.p = around( mDumpingSites[nextSite < mDumpingSites.size() ? nextSite++ : static_cast<size_t>( rng.pick( siteCumulative ) )], 3.0 );
        break;
      case Placement::StreetLight:
        r.p = around( mLights[nextLight < mLights.size() ? nextLight++ : static_cast<size_t>( rng.belowInt( static_cast<int>( mLights.size() ) ) )], 1.0 );
        break;
      case Placement::Population:
        r.p = mStreets->placeInCell( mGrid, people.draw( rng ), rng );
        break;
    }
    r.type = static_cast<quint8>( type );
    r.created = ( t.summer ? summer : regular ).draw( rng );
    const qint64 closeAfter = static_cast<qint64>( rng.exponential( t.closeDaysMean ) * 86400 ) + rng.belowInt( 3600 );
    r.closed = r.created + closeAfter <= periodEnd ? r.created + closeAfter : -1;
    r.status = static_cast<quint8>( r.closed >= 0 ? pickWeighted( rng, kClosedStatusWeights ) : pickWeighted( rng, kOpenStatusWeights ) );
    mRequests.push_back( r );
  }
  // Chronological order (ties keep generation order): case ids are numbered in this order.
  std::stable_sort( mRequests.begin(), mRequests.end(), []( const Request &a, const Request &b ) { return a.created < b.created; } );

  // The factor layers are the requests themselves.
  for ( const Request &r : mRequests )
  {
    const RequestType &t = kRequestTypes[r.type];
    if ( t.placement == Placement::DumpingSite )
      mMasks[FactorDumping].mark( mGrid, r.p.x, r.p.y, kFactors[FactorDumping].distance );
    else if ( t.placement == Placement::StreetLight )
      mMasks[FactorStreetlight].mark( mGrid, r.p.x, r.p.y, kFactors[FactorStreetlight].distance );
  }
}

void Generator::buildOffenses()
{
  DemoRandom rng = stream( StreamOffenses );
  DemoRandom violentRng = stream( StreamViolent );
  const qint64 rows = static_cast<qint64>( mParams.offenseRowsPerYear ) * kYears;
  const qint64 reports = static_cast<qint64>( std::llround( rows / ( 1.0 + kSecondaryRate ) ) );
  const qint64 violentReports = static_cast<qint64>( std::llround( reports * mParams.violentShare ) );

  // Violent intensity: constant base times the planted relative risks, per RTM cell. It is
  // piecewise constant on the grid, so drawing cells by weight is exact (no thinning needed).
  auto weight = [&]( int c ) {
    double w = 1.0;
    for ( int f = 0; f < FactorCount; ++f )
    {
      if ( mMasks[f].cells[c] )
        w *= kFactors[f].relativeRisk;
    }
    return w;
  };
  const CellSampler violentCells( mGrid, weight );
  double weightTotal = violentCells.cumulative.back();
  mBaseRate = violentReports / weightTotal;
  double maxWeight = 1.0;
  for ( const FactorSpec &f : kFactors )
    maxWeight *= std::max( 1.0, f.relativeRisk );
  const CellSampler otherCells( mGrid, [&]( int c ) { return mPopulation[c]; } );

  const TimeSampler violentTimes( *mCalendar, kViolentDays, kViolentHours, 0.18 );
  const TimeSampler otherTimes( *mCalendar, kOtherDays, kOtherHours, 0.08 );
  std::vector<double> vw, ow;
  for ( const OffenseType &t : kViolentTypes )
    vw.push_back( t.weight );
  for ( const OffenseType &t : kOtherTypes )
    ow.push_back( t.weight );
  const std::vector<double> violentCumulative = DemoRandom::cumulate( vw );
  const std::vector<double> otherCumulative = DemoRandom::cumulate( ow );

  mOffenses.reserve( rows + rows / 10 );
  auto reportDelay = [&]( DemoRandom &r, const OffenseType &t ) {
    return static_cast<qint64>( r.exponential( t.reportDelayHours ) * 3600 ) + 60 + r.belowInt( 600 );
  };
  for ( qint64 n = 0; n < reports; ++n )
  {
    if ( ( n & 0xFFFF ) == 0 && canceled() )
      return;
    const bool violent = n < violentReports;
    DemoRandom &r = violent ? violentRng : rng;
    Offense o {};
    o.violent = violent;
    o.type = static_cast<quint8>( r.pick( violent ? violentCumulative : otherCumulative ) );
    const OffenseType &t = violent ? kViolentTypes[o.type] : kOtherTypes[o.type];
    o.p = mStreets->placeInCell( mGrid, ( violent ? violentCells : otherCells ).draw( r ), r );
    o.occurred = ( violent ? violentTimes : otherTimes ).draw( r );
    o.reported = o.occurred + reportDelay( r, t );
    o.firearm = r.chance( t.firearm );
    o.domestic = r.chance( t.domestic );
    mOffenses.push_back( o );
  }

  // Near-repeat contagion: each shooting (original or follow-up) spawns, with probability p, a
  // follow-up shooting within the distance and the days. Its place is drawn around the parent
  // and thinned by the same intensity, so the planted risk surface holds for follow-ups too.
  {
    DemoRandom nr = stream( StreamNearRepeat );
    const int shootingTypes[] = { 5, 4, 0 }; // 13A, 120, 09A
    const double shootingWeights[] = { 0.75, 0.15, 0.10 };
    const qint64 periodEnd = static_cast<qint64>( mCalendar->days() ) * 86400;
    std::vector<size_t> queue;
    for ( size_t i = 0; i < mOffenses.size(); ++i )
    {
      const Offense &o = mOffenses[i];
      if ( o.violent && o.firearm && isShootingType( kViolentTypes[o.type] ) )
        queue.push_back( i );
    }
    for ( size_t q = 0; q < queue.size(); ++q )
    {
      if ( !nr.chance( kNearRepeatProbability ) )
        continue;
      const Offense parent = mOffenses[queue[q]];
      const qint64 when = parent.occurred + static_cast<qint64>( nr.uniform( 0.02, kNearRepeatDays ) * 86400 );
      if ( when >= periodEnd )
        continue;
      bool placed = false;
      XY p;
      for ( int attempt = 0; attempt < 50 && !placed; ++attempt )
      {
        const double radius = kNearRepeatDistance * std::sqrt( nr.uniform() );
        const double angle = nr.uniform( 0, 2 * M_PI );
        p = XY { parent.p.x + radius * std::cos( angle ), parent.p.y + radius * std::sin( angle ) };
        const int c = mGrid.cellOf( p.x, p.y );
        if ( c < 0 || !mGrid.inside[c] )
          continue;
        placed = nr.uniform() * maxWeight < weight( c );
      }
      if ( !placed )
        continue;
      Offense o {};
      o.violent = true;
      o.followUp = true;
      o.type = static_cast<quint8>( shootingTypes[pickWeighted( nr, shootingWeights )] );
      o.p = p;
      o.occurred = when;
      o.reported = when + reportDelay( nr, kViolentTypes[o.type] );
      o.firearm = true;
      o.domestic = nr.chance( 0.03 );
      queue.push_back( mOffenses.size() );
      mOffenses.push_back( o );
      ++mFollowUps;
    }
  }

  // Order by occurrence, number the reports, add second offenses, then pick the rows the
  // city could not locate (every rape, and a random share of the rest, ~12% overall).
  std::stable_sort( mOffenses.begin(), mOffenses.end(), []( const Offense &a, const Offense &b ) { return a.occurred < b.occurred; } );
  const size_t primaries = mOffenses.size();
  for ( size_t i = 0; i < primaries; ++i )
    mOffenses[i].report = static_cast<int>( i );
  qint64 rapes = 0;
  for ( size_t i = 0; i < primaries; ++i )
  {
    if ( mOffenses[i].violent && qstrcmp( kViolentTypes[mOffenses[i].type].category, "Rape" ) == 0 )
      ++rapes;
  }
  DemoRandom missing = stream( StreamMissing );
  const double otherMissing = std::max( 0.0, ( kMissingLocationShare * primaries - rapes ) / std::max<double>( 1.0, primaries - rapes ) );
  for ( size_t i = 0; i < primaries; ++i )
  {
    Offense &o = mOffenses[i];
    const bool rape = o.violent && qstrcmp( kViolentTypes[o.type].category, "Rape" ) == 0;
    o.missing = rape || missing.chance( otherMissing );
    if ( rng.chance( kSecondaryRate ) && !rape )
    {
      Offense s = o;
      s.violent = false;
      s.followUp = false;
      s.secondary = true;
      // A report holds each IBRS code once (offense_key = report|IBRS).
      do
        s.type = static_cast<quint8>( kSecondaryTypes[pickWeighted( rng, kSecondaryWeights )] );
      while ( !o.violent && s.type == o.type );
      s.firearm = o.firearm && qstrcmp( kOtherTypes[s.type].ibrs, "520" ) == 0 ? true : rng.chance( kOtherTypes[s.type].firearm );
      mOffenses.push_back( s );
    }
  }
  std::stable_sort( mOffenses.begin(), mOffenses.end(), []( const Offense &a, const Offense &b ) { return a.report < b.report; } );
}

void Generator::chooseGrants()
{
  DemoRandom rng = stream( StreamGrants );
  for ( const Parcel &p : mParcels )
    ++mNeighborhoods[neighborhoodOf( p.p.x, p.p.y )].vacant;
  // Need = vacant parcels per square kilometre; the 13 grants go to neighborhoods drawn from
  // the neediest quarter-to-half, as a city's selection committee would.
  std::vector<int> order( mNeighborhoods.size() );
  std::iota( order.begin(), order.end(), 0 );
  std::stable_sort( order.begin(), order.end(), [&]( int a, int b ) {
    const double na = mNeighborhoods[a].vacant / std::max( 0.05, mNeighborhoods[a].areaSqKm );
    const double nb = mNeighborhoods[b].vacant / std::max( 0.05, mNeighborhoods[b].areaSqKm );
    return na > nb;
  } );
  const int count = std::min<int>( kGrantCount, static_cast<int>( order.size() ) );
  const int pool = std::min<int>( static_cast<int>( order.size() ), std::max( count, 2 * kGrantCount ) );
  std::vector<int> candidates( order.begin(), order.begin() + pool );
  for ( int k = 0; k < count; ++k )
  {
    const int idx = k + rng.belowInt( static_cast<int>( candidates.size() ) - k );
    std::swap( candidates[k], candidates[idx] );
    mNeighborhoods[candidates[k]].grant = true;
  }
}

bool Generator::build( QString *error )
{
  mCalendar = std::make_unique<Calendar>( QTimeZone( "America/Chicago" ) );
  buildBoundary();
  if ( !buildNeighborhoods( error ) )
    return false;
  buildDistricts();
  progress( 3 );
  buildFields();
  placeVacant();
  placeDangerous();
  placeDumpingAndLights();
  progress( 6 );
  if ( canceled() )
    return false;
  buildRequests();
  progress( 12 );
  if ( canceled() )
    return false;
  buildOffenses();
  progress( 18 );
  if ( canceled() )
    return false;
  chooseGrants();
  return true;
}

QJsonObject Generator::truth() const
{
  QJsonArray factors;
  for ( int f = 0; f < FactorCount; ++f )
  {
    const FactorSpec &spec = kFactors[f];
    qint64 features = 0;
    if ( f == FactorVacant )
      features = static_cast<qint64>( mParcels.size() );
    else if ( f == FactorDangerous )
      features = static_cast<qint64>( mBuildings.size() );
    else
    {
      for ( const Request &r : mRequests )
        features += kRequestTypes[r.type].placement == ( f == FactorDumping ? Placement::DumpingSite : Placement::StreetLight );
    }
    QJsonObject o {
      { QStringLiteral( "name" ), QLatin1String( spec.name ) },
      { QStringLiteral( "layer" ), QLatin1String( spec.layer ) },
      { QStringLiteral( "filter" ), QLatin1String( spec.filter ) },
      { QStringLiteral( "operationalisation" ), QStringLiteral( "proximity" ) },
      { QStringLiteral( "distance_m" ), spec.distance },
      { QStringLiteral( "relative_risk" ), spec.relativeRisk },
      { QStringLiteral( "coverage" ), round3( mMasks[f].coverage( mGrid ) ) },
      { QStringLiteral( "features" ), features },
      { QStringLiteral( "expect_selected" ), spec.relativeRisk != 1.0 },
    };
    if ( f == FactorDumping )
      o.insert( QStringLiteral( "sites" ), static_cast<qint64>( mDumpingSites.size() ) );
    if ( f == FactorStreetlight )
      o.insert( QStringLiteral( "lights" ), static_cast<qint64>( mLights.size() ) );
    factors.append( o );
  }
  qint64 violent = 0, located = 0, shootings = 0, missing = 0;
  for ( const Offense &o : mOffenses )
  {
    violent += o.violent;
    missing += o.missing;
    if ( o.violent && !o.missing )
      ++located;
    shootings += o.violent && o.firearm && isShootingType( kViolentTypes[o.type] );
  }
  qint64 grants = 0;
  for ( const Neighborhood &n : mNeighborhoods )
    grants += n.grant;
  return QJsonObject {
    { QStringLiteral( "generator" ), QStringLiteral( "statdesk-demo/1" ) },
    { QStringLiteral( "seed" ), seedJson( mOptions.seed ) },
    { QStringLiteral( "size" ), demoSizeName( mOptions.size ) },
    { QStringLiteral( "crs" ), QStringLiteral( "EPSG:26915" ) },
    { QStringLiteral( "block_length_m" ), kBlock },
    { QStringLiteral( "cell_size_m" ), kCell },
    { QStringLiteral( "grid_origin" ), QJsonArray { mGrid.x0, mGrid.y0 } },
    { QStringLiteral( "grid_cells_in_area" ), static_cast<qint64>( mGrid.insideCells.size() ) },
    { QStringLiteral( "study_area" ), QStringLiteral( "boundaries kind=city" ) },
    { QStringLiteral( "outcome" ), QJsonObject { { QStringLiteral( "layer" ), QStringLiteral( "incidents" ) }, { QStringLiteral( "filter" ), QStringLiteral( "violent = 1" ) } } },
    { QStringLiteral( "model" ), QStringLiteral( "Violent offenses: expected count per RTM cell = base x product of relative_risk over the factors whose "
                                                  "proximity holds at the cell centroid (distance to the nearest feature <= distance_m); cells of "
                                                  "cell_size_m from grid_origin, in the study area when the centroid is. base is the same everywhere. "
                                                  "Follow-up shootings (near_repeat) add a little clustering on top." ) },
    { QStringLiteral( "base_rate_per_cell" ), round3( mBaseRate * 1000 ) / 1000 },
    { QStringLiteral( "factors" ), factors },
    { QStringLiteral( "near_repeat" ), QJsonObject {
                                         { QStringLiteral( "applies_to" ), QStringLiteral( "shootings" ) },
                                         { QStringLiteral( "filter" ), QStringLiteral( "shooting = 1" ) },
                                         { QStringLiteral( "probability" ), kNearRepeatProbability },
                                         { QStringLiteral( "distance_m" ), kNearRepeatDistance },
                                         { QStringLiteral( "days" ), kNearRepeatDays },
                                         { QStringLiteral( "follow_ups" ), mFollowUps },
                                       } },
    { QStringLiteral( "counts" ), QJsonObject {
                                    { QStringLiteral( "incidents" ), static_cast<qint64>( mOffenses.size() ) },
                                    { QStringLiteral( "violent" ), violent },
                                    { QStringLiteral( "violent_located" ), located },
                                    { QStringLiteral( "shootings" ), shootings },
                                    { QStringLiteral( "without_location" ), missing },
                                    { QStringLiteral( "service_requests" ), static_cast<qint64>( mRequests.size() ) },
                                    { QStringLiteral( "vacant_parcels" ), static_cast<qint64>( mParcels.size() ) },
                                    { QStringLiteral( "dangerous_buildings" ), static_cast<qint64>( mBuildings.size() ) },
                                    { QStringLiteral( "neighborhoods" ), static_cast<qint64>( mNeighborhoods.size() ) },
                                    { QStringLiteral( "grant_neighborhoods" ), grants },
                                  } },
    { QStringLiteral( "period" ), QJsonObject { { QStringLiteral( "from" ), kPeriodFrom.toString( Qt::ISODate ) }, { QStringLiteral( "to" ), kPeriodTo.toString( Qt::ISODate ) } } },
  };
}

void Generator::fillSummary( DemoSummary *summary ) const
{
  if ( !summary )
    return;
  *summary = DemoSummary();
  summary->incidents = static_cast<qint64>( mOffenses.size() );
  for ( const Offense &o : mOffenses )
  {
    summary->incidentsWithoutLocation += o.missing;
    summary->violent += o.violent;
    summary->shootings += o.violent && o.firearm && isShootingType( kViolentTypes[o.type] );
  }
  summary->persons = mPersons;
  summary->nearRepeatShootings = mFollowUps;
  summary->serviceRequests = static_cast<qint64>( mRequests.size() );
  summary->vacantParcels = static_cast<qint64>( mParcels.size() );
  summary->dangerousBuildings = static_cast<qint64>( mBuildings.size() );
  summary->neighborhoods = static_cast<qint64>( mNeighborhoods.size() );
  summary->boundaries = 1 + static_cast<qint64>( mDistricts.size() + mDivisionGeometries.size() );
  summary->truth = mTruth;
}

bool Generator::write( ProjectFile &project, QString *error )
{
  SqliteDatabase &db = project.database();
  const int srs = project.srsId();
  // A larger page cache for this connection only: the R*Tree and key indexes of a million rows.
  db.exec( QStringLiteral( "PRAGMA cache_size = -1048576; PRAGMA temp_store = MEMORY" ) );
  SqliteTransaction tx( db );
  if ( !tx.isActive() )
  {
    *error = QObject::tr( "Cannot start writing the demo city: %1" ).arg( db.errorString() );
    return false;
  }
  auto fail = [&]( const QString &what, const SqliteStatement &st ) {
    *error = QObject::tr( "Cannot write %1: %2" ).arg( what, st.errorString() );
    return false;
  };
  const QString source = QStringLiteral( "demo" );
  const QString ok = QStringLiteral( "ok" );
  const QString missingFlag = QStringLiteral( "missing" );
  const qint64 totalRows = static_cast<qint64>( mOffenses.size() + mRequests.size() + mParcels.size() );
  qint64 written = 0;
  auto step = [&]() {
    if ( ( ++written & 0x3FFF ) == 0 )
    {
      progress( 20 + 72.0 * written / totalRows );
      return !canceled();
    }
    return true;
  };

  // Boundaries: the city, council districts, patrol divisions.
  {
    SqliteStatement st( db, QStringLiteral( "INSERT INTO boundaries(geom, boundary_id, kind, name, source) VALUES (?, ?, ?, ?, ?)" ) );
    auto add = [&]( const QgsGeometry &g, const QString &id, const QString &kind, const QString &name ) {
      QgsGeometry multi = g;
      multi.convertToMultiType();
      st.bindBlob( 1, gpkgGeometryBlob( multi, srs ) );
      st.bindText( 2, id );
      st.bindText( 3, kind );
      st.bindText( 4, name );
      st.bindText( 5, source );
      return st.exec();
    };
    if ( !add( mBoundary, QStringLiteral( "city" ), QStringLiteral( "city" ), QStringLiteral( "Demo City" ) ) )
      return fail( schema::kBoundaries, st );
    for ( size_t d = 0; d < mDistricts.size(); ++d )
    {
      if ( !add( mDistricts[d], QString::number( d + 1 ), QStringLiteral( "council_district" ), QStringLiteral( "Council District %1" ).arg( d + 1 ) ) )
        return fail( schema::kBoundaries, st );
    }
    for ( size_t d = 0; d < mDivisions.size(); ++d )
    {
      if ( !add( mDivisionGeometries[d], mDivisions[d].code, QStringLiteral( "patrol_division" ), mDivisions[d].name ) )
        return fail( schema::kBoundaries, st );
    }
  }

  // Neighborhoods.
  {
    SqliteStatement st( db, QStringLiteral( "INSERT INTO neighborhoods(geom, nbh_id, name, is_grant, area_sqkm, source) VALUES (?, ?, ?, ?, ?, ?)" ) );
    for ( const Neighborhood &n : mNeighborhoods )
    {
      st.bindBlob( 1, gpkgGeometryBlob( n.geometry, srs ) );
      st.bindText( 2, n.id );
      st.bindText( 3, n.name );
      st.bindInt64( 4, n.grant ? 1 : 0 );
      st.bindDouble( 5, n.areaSqKm );
      st.bindText( 6, source );
      if ( !st.exec() )
        return fail( schema::kNeighborhoods, st );
    }
  }

  // Vacant parcels, numbered north to south.
  {
    std::vector<int> order( mParcels.size() );
    std::iota( order.begin(), order.end(), 0 );
    std::stable_sort( order.begin(), order.end(), [&]( int a, int b ) { return mParcels[a].p.y > mParcels[b].p.y; } );
    SqliteStatement st( db, QStringLiteral( "INSERT INTO vacant_parcels(geom, parcel_id, kind, address, condition, status, neighborhood, listed_at, "
                                            "source, row_hash, location_flag) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)" ) );
    static const char *const kinds[] = { "vacant_lot", "vacant_structure", "land_bank" };
    int seq = 0;
    for ( int idx : order )
    {
      const Parcel &p = mParcels[idx];
      const StreetGrid::Address a = mStreets->address( p.p.x, p.p.y );
      const bool structure = p.kind == 1 || ( p.kind == 2 && p.statusIdx == 1 );
      QString status;
      if ( p.kind == 2 )
        status = QStringLiteral( "Land Bank inventory" );
      else if ( p.kind == 1 )
        status = p.statusIdx ? QStringLiteral( "NSBOARD01" ) : QStringLiteral( "NSVACANT" );
      else
        status = p.statusIdx ? QStringLiteral( "Registered" ) : QStringLiteral( "Unregistered" );
      st.bindBlob( 1, gpkgPointBlob( p.p.x, p.p.y, srs ) );
      st.bindText( 2, QStringLiteral( "JA%1" ).arg( 10000000 + ( ++seq ) * 7 ) );
      st.bindText( 3, QLatin1String( kinds[p.kind] ) );
      st.bindText( 4, QStringLiteral( "%1 %2" ).arg( a.number ).arg( a.street ) );
      st.bindText( 5, structure ? QStringLiteral( "Structure - vacant" ) : QStringLiteral( "Vacant lot or land" ) );
      st.bindText( 6, status );
      st.bindText( 7, mNeighborhoods[neighborhoodOf( p.p.x, p.p.y )].name );
      st.bindText( 8, kPeriodFrom.addDays( p.listedDay ).toString( Qt::ISODate ) );
      st.bindText( 9, source );
      st.bindText( 10, ok );
      if ( !st.exec() )
        return fail( schema::kVacantParcels, st );
      if ( !step() )
        return false;
    }
  }

  // Dangerous buildings: case numbers YYYY-NNNNN in order of opening.
  {
    std::vector<int> order( mBuildings.size() );
    std::iota( order.begin(), order.end(), 0 );
    std::stable_sort( order.begin(), order.end(), [&]( int a, int b ) {
      return mBuildings[a].year != mBuildings[b].year ? mBuildings[a].year < mBuildings[b].year : mBuildings[a].openedDay < mBuildings[b].openedDay;
    } );
    SqliteStatement st( db, QStringLiteral( "INSERT INTO dangerous_buildings(geom, case_number, address, status, case_opened, neighborhood, source, "
                                            "row_hash, location_flag) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?)" ) );
    int year = 0, seq = 0;
    for ( int idx : order )
    {
      const Building &b = mBuildings[idx];
      if ( b.year != year )
      {
        year = b.year;
        seq = 0;
      }
      const StreetGrid::Address a = mStreets->address( b.p.x, b.p.y );
      st.bindBlob( 1, gpkgPointBlob( b.p.x, b.p.y, srs ) );
      st.bindText( 2, QStringLiteral( "%1-%2" ).arg( year ).arg( 36 + ( seq++ ) * 3, 5, 10, QLatin1Char( '0' ) ) );
      st.bindText( 3, QStringLiteral( "%1 %2" ).arg( a.number ).arg( a.street ) );
      st.bindText( 4, QLatin1String( kDangerousStatuses[b.statusIdx] ) );
      st.bindText( 5, QDate( year, 1, 1 ).addDays( b.openedDay ).toString( Qt::ISODate ) );
      st.bindText( 6, mNeighborhoods[neighborhoodOf( b.p.x, b.p.y )].name );
      st.bindText( 7, source );
      st.bindText( 8, ok );
      if ( !st.exec() )
        return fail( schema::kDangerousBuildings, st );
    }
  }

  // 311 requests (current system).
  {
    SqliteStatement st( db, QStringLiteral( "INSERT INTO service_requests(geom, case_id, system, request_type, category, type, detail, blight_class, "
                                            "status, status_raw, created_at, closed_at, address, zip, neighborhood, council_district, source, "
                                            "row_hash, location_flag) VALUES (?, ?, 'current', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)" ) );
    QHash<QString, int> sequence; // prefix-year -> last number
    std::vector<QString> issueTypes, subTypes, blight, prefixes;
    for ( const RequestType &t : kRequestTypes )
    {
      issueTypes.push_back( QLatin1String( t.issueType ) );
      subTypes.push_back( QLatin1String( t.subType ) );
      blight.push_back( t.blightClass ? QLatin1String( t.blightClass ) : QString() );
      prefixes.push_back( QLatin1String( t.prefix ) );
    }
    const QString openText = QStringLiteral( "open" ), closedText = QStringLiteral( "closed" );
    for ( const Request &r : mRequests )
    {
      const int year = kPeriodFrom.addDays( static_cast<int>( r.created / 86400 ) ).year();
      const QString key = prefixes[r.type] + QString::number( year );
      const int number = ++sequence[key] + 10000;
      const StreetGrid::Address a = mStreets->address( r.p.x, r.p.y );
      const Neighborhood &n = mNeighborhoods[neighborhoodOf( r.p.x, r.p.y )];
      st.bindBlob( 1, gpkgPointBlob( r.p.x, r.p.y, srs ) );
      st.bindText( 2, QStringLiteral( "%1-%2-%3" ).arg( prefixes[r.type] ).arg( year ).arg( number ) );
      st.bindText( 3, issueTypes[r.type] );
      st.bindText( 4, issueTypes[r.type] );
      st.bindText( 5, subTypes[r.type] );
      st.bindText( 6, subTypes[r.type] );
      st.bindText( 7, blight[r.type] );
      st.bindText( 8, r.closed >= 0 ? closedText : openText );
      st.bindText( 9, QLatin1String( r.closed >= 0 ? kClosedStatuses[r.status] : kOpenStatuses[r.status] ) );
      st.bindText( 10, mCalendar->format( r.created ) );
      st.bindText( 11, r.closed >= 0 ? mCalendar->format( r.closed ) : QString() );
      st.bindText( 12, QStringLiteral( "%1 %2" ).arg( a.number ).arg( titleCase( a.street ) ) );
      st.bindText( 13, zipOf( r.p.x, r.p.y ) );
      st.bindText( 14, n.name );
      st.bindText( 15, QString::number( n.district + 1 ) );
      st.bindText( 16, source );
      st.bindText( 17, ok );
      if ( !st.exec() )
        return fail( schema::kServiceRequests, st );
      if ( !step() )
        return false;
    }
  }

  // Incidents (one row per offense) and the persons of violent offenses (restricted table).
  qint64 persons = 0;
  {
    SqliteStatement st( db, QStringLiteral( "INSERT INTO incidents(geom, offense_key, report_no, ibrs, offense, description, category, violent, "
                                            "firearm, domestic, shooting, occurred_at, reported_at, address, beat, area, zip, source, row_hash, "
                                            "location_flag) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)" ) );
    SqliteStatement person( db, QStringLiteral( "INSERT INTO restricted_person_involvements(offense_key, report_no, invl_no, involvement, race, sex, "
                                                "age, row_hash) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)" ) );
    DemoRandom prng = stream( StreamPersons );
    // Report numbers: KC + two-digit year of the report + a sequence in order of reporting.
    std::vector<int> reportOrder;
    std::vector<qint64> reportTime;
    for ( const Offense &o : mOffenses )
    {
      if ( !o.secondary )
      {
        reportOrder.push_back( static_cast<int>( reportTime.size() ) );
        reportTime.push_back( o.reported );
      }
    }
    std::stable_sort( reportOrder.begin(), reportOrder.end(), [&]( int a, int b ) { return reportTime[a] < reportTime[b]; } );
    std::vector<QString> reportNo( reportTime.size() );
    int year = 0, seq = 0;
    for ( int r : reportOrder )
    {
      const int y = kPeriodFrom.addDays( static_cast<int>( std::min<qint64>( reportTime[r] / 86400, mCalendar->totalDays() - 1 ) ) ).year();
      if ( y != year )
      {
        year = y;
        seq = 1000 + static_cast<int>( mOptions.seed % 500 );
      }
      reportNo[r] = QStringLiteral( "KC%1%2" ).arg( y % 100, 2, 10, QLatin1Char( '0' ) ).arg( ++seq, 6, 10, QLatin1Char( '0' ) );
    }

    const char *const races = "BWUAIP";
    const double raceWeights[] = { 0.56, 0.33, 0.06, 0.02, 0.015, 0.015 };
    for ( const Offense &o : mOffenses )
    {
      const OffenseType &t = o.violent ? kViolentTypes[o.type] : kOtherTypes[o.type];
      const QString &report = reportNo[o.report];
      const QString key = report + QLatin1Char( '|' ) + QLatin1String( t.ibrs );
      const Neighborhood &n = mNeighborhoods[neighborhoodOf( o.p.x, o.p.y )];
      const bool rape = qstrcmp( t.category, "Rape" ) == 0;
      const bool shooting = o.violent && o.firearm && isShootingType( t );
      if ( o.missing )
        st.bindNull( 1 );
      else
        st.bindBlob( 1, gpkgPointBlob( o.p.x, o.p.y, srs ) );
      st.bindText( 2, key );
      st.bindText( 3, report );
      st.bindText( 4, QLatin1String( t.ibrs ) );
      st.bindText( 5, QLatin1String( t.offense ) );
      st.bindText( 6, QLatin1String( t.description ) );
      st.bindText( 7, QLatin1String( t.category ) );
      st.bindInt64( 8, o.violent ? 1 : 0 );
      st.bindInt64( 9, o.firearm ? 1 : 0 );
      st.bindInt64( 10, o.domestic ? 1 : 0 );
      st.bindInt64( 11, shooting ? 1 : 0 );
      st.bindText( 12, mCalendar->format( o.occurred ) );
      st.bindText( 13, mCalendar->format( o.reported ) );
      if ( o.missing )
      {
        st.bindNull( 14 );
        st.bindText( 15, rape ? QString() : n.beat );
        st.bindText( 16, rape ? QString() : mDivisions[n.division].code );
        st.bindText( 17, rape ? QStringLiteral( "99999" ) : zipOf( o.p.x, o.p.y ) );
      }
      else
      {
        const StreetGrid::Address a = mStreets->address( o.p.x, o.p.y );
        st.bindText( 14, QStringLiteral( "%1 BLOCK %2" ).arg( a.block ).arg( a.street ) );
        st.bindText( 15, n.beat );
        st.bindText( 16, mDivisions[n.division].code );
        st.bindText( 17, zipOf( o.p.x, o.p.y ) );
      }
      st.bindText( 18, source );
      st.bindText( 19, o.missing ? missingFlag : ok );
      if ( !st.exec() )
        return fail( schema::kIncidents, st );

      if ( o.violent )
      {
        const int victims = 1 + ( prng.chance( 0.15 ) ? 1 : 0 );
        const double u = prng.uniform();
        const int suspects = u < 0.2 ? 0 : ( u < 0.8 ? 1 : 2 );
        int invl = 0;
        for ( int k = 0; k < victims + suspects; ++k )
        {
          const bool victim = k < victims;
          const bool unknown = !victim && prng.chance( 0.25 );
          const double male = victim ? ( rape ? 0.1 : ( qstrcmp( t.ibrs, "09A" ) == 0 ? 0.8 : 0.6 ) ) : 0.86;
          const int age = std::clamp( static_cast<int>( std::lround( prng.normal( victim ? 33 : 27, victim ? 13 : 10 ) ) ), 10, 90 );
          person.bindText( 1, key );
          person.bindText( 2, report );
          person.bindText( 3, QString::number( ++invl ) );
          person.bindText( 4, victim ? QStringLiteral( "VIC" ) : QStringLiteral( "SUS" ) );
          person.bindText( 5, unknown ? QStringLiteral( "U" ) : QString( QLatin1Char( races[pickWeighted( prng, raceWeights )] ) ) );
          person.bindText( 6, unknown ? QStringLiteral( "U" ) : ( prng.chance( male ) ? QStringLiteral( "M" ) : QStringLiteral( "F" ) ) );
          // KCPD leaves the age of juveniles (and of unknown suspects) blank.
          person.bindText( 7, unknown || age < 18 ? QString() : QString::number( age ) );
          if ( !person.exec() )
            return fail( schema::kPersonInvolvements, person );
          ++persons;
        }
      }
      if ( !step() )
        return false;
    }
  }
  mPersons = persons;

  // Metadata: the truth, the seed and the grant neighborhoods.
  QJsonArray grants;
  for ( const Neighborhood &n : mNeighborhoods )
  {
    if ( n.grant )
      grants.append( QJsonObject { { QStringLiteral( "nbh_id" ), n.id }, { QStringLiteral( "name" ), n.name } } );
  }
  QJsonObject truthJson = truth();
  QJsonObject counts = truthJson.value( QStringLiteral( "counts" ) ).toObject();
  counts.insert( QStringLiteral( "person_involvements" ), persons );
  truthJson.insert( QStringLiteral( "counts" ), counts );
  truthJson.insert( QStringLiteral( "grant_neighborhoods" ), grants );
  mTruth = truthJson;
  if ( !project.setMetadataInTransaction( schema::kMetaDemoTruth, QString::fromUtf8( QJsonDocument( truthJson ).toJson( QJsonDocument::Compact ) ) )
       || !project.setMetadataInTransaction( schema::kMetaDemoSeed, QString::number( mOptions.seed ) )
       || !project.setMetadataInTransaction( schema::kMetaGrantNeighborhoods, QString::fromUtf8( QJsonDocument( grants ).toJson( QJsonDocument::Compact ) ) ) )
  {
    *error = QObject::tr( "Cannot write the demo metadata: %1" ).arg( db.lastSqliteError() );
    return false;
  }
  for ( const QString &table : { schema::kBoundaries, schema::kNeighborhoods, schema::kVacantParcels, schema::kDangerousBuildings,
                                 schema::kServiceRequests, schema::kIncidents } )
  {
    if ( !project.refreshContents( table ) )
    {
      *error = QObject::tr( "Cannot update the layer list of %1: %2" ).arg( table, db.lastSqliteError() );
      return false;
    }
  }
  if ( canceled() )
    return false;
  progress( 94 );
  if ( !tx.commit() )
  {
    *error = QObject::tr( "Cannot save the demo city: %1" ).arg( db.errorString() );
    return false;
  }
  return true;
}

} // namespace

bool generateDemoCity( const QString &path, const DemoOptions &options, QgsFeedback *feedback, QString *error, DemoSummary *summary )
{
  QString dummy;
  if ( !error )
    error = &dummy;
  const QString finalPath = QFileInfo( path ).absoluteFilePath();
  if ( path.isEmpty() )
  {
    *error = QObject::tr( "No output file given." );
    return false;
  }
  if ( QFileInfo( finalPath ).isDir() )
  {
    *error = QObject::tr( "%1 is a folder." ).arg( finalPath );
    return false;
  }
  if ( !QFileInfo( QFileInfo( finalPath ).absolutePath() ).isDir() )
  {
    *error = QObject::tr( "The folder of %1 does not exist." ).arg( finalPath );
    return false;
  }
  // Refuse to replace a project another StatDesk has open.
  if ( QFileInfo::exists( finalPath ) && QFileInfo::exists( finalPath + QStringLiteral( ".lock" ) ) )
  {
    QLockFile lock( finalPath + QStringLiteral( ".lock" ) );
    lock.setStaleLockTime( 0 );
    if ( !lock.tryLock( 0 ) )
    {
      *error = describeOpenFailure( OpenFailure::Locked );
      return false;
    }
  }

  Generator generator( options, feedback );
  auto canceledMessage = [&]() {
    *error = QObject::tr( "Demo generation was cancelled; nothing was written." );
    return false;
  };
  if ( !generator.build( error ) )
  {
    if ( feedback && feedback->isCanceled() )
      return canceledMessage();
    if ( error->isEmpty() )
      *error = QObject::tr( "Demo generation failed." );
    return false;
  }

  // Build "<path>.part" and rename it over the target only when it is complete.
  const QString partPath = finalPath + QStringLiteral( ".part.gpkg" ); // GDAL wants the .gpkg extension
  auto removePart = [&]() {
    QFile::remove( partPath );
    QFile::remove( partPath + QStringLiteral( "-journal" ) );
  };
  {
    ProjectSettings settings;
    settings.cityName = QStringLiteral( "Demo City" );
    settings.crs = QgsCoordinateReferenceSystem( QStringLiteral( "EPSG:26915" ) );
    settings.timeZone = QStringLiteral( "America/Chicago" );
    std::unique_ptr<ProjectFile> project = ProjectFile::create( partPath, settings, error, true );
    if ( !project )
    {
      removePart();
      return false;
    }
    if ( !generator.write( *project, error ) )
    {
      project.reset();
      removePart();
      if ( feedback && feedback->isCanceled() )
        return canceledMessage();
      return false;
    }
  }
  if ( feedback && feedback->isCanceled() )
  {
    removePart();
    return canceledMessage();
  }

  // Store the map again now that the layers have data (default view on the city), with layer
  // paths written for the final name. QGIS 3.22 asks (modally) before replacing a saved style
  // of the same name, so the default styles written by create() are dropped first: they are
  // written again, identically, by store().
  {
    SqliteDatabase db;
    bool cleared = db.open( partPath, false );
    if ( cleared && db.tableExists( QStringLiteral( "layer_styles" ) ) )
    {
      SqliteTransaction tx( db );
      cleared = db.exec( QStringLiteral( "DELETE FROM layer_styles" ) ) && tx.commit();
    }
    if ( !cleared )
    {
      *error = QObject::tr( "Cannot prepare the map of %1: %2" ).arg( partPath, db.errorString() );
      db.close();
      removePart();
      return false;
    }
  }
  {
    QgsProject qgisProject;
    const QString writerId = QgsPathResolver::setPathWriter( [partPath, finalPath]( const QString &p ) {
      QString out = p;
      return out.replace( partPath, finalPath );
    } );
    const bool stored = ProjectLayers::buildDefault( partPath, &qgisProject, error ) && ProjectLayers::store( partPath, &qgisProject, error );
    QgsPathResolver::removePathWriter( writerId );
    qgisProject.clear();
    if ( !stored )
    {
      removePart();
      return false;
    }
  }
  if ( feedback && feedback->isCanceled() )
  {
    removePart();
    return canceledMessage();
  }
  if ( std::rename( QFile::encodeName( partPath ).constData(), QFile::encodeName( finalPath ).constData() ) != 0 )
  {
    *error = QObject::tr( "Cannot write %1 (%2)." ).arg( finalPath, QString::fromLocal8Bit( std::strerror( errno ) ) );
    removePart();
    return false;
  }
  if ( feedback )
    feedback->setProgress( 100 );
  generator.fillSummary( summary );
  return true;
}

} // namespace statdesk
