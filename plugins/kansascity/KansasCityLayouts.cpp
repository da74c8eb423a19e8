#include "KansasCityLayouts.h"

namespace statdesk::kansascity
{

namespace
{
using ingest::field::Address;
using ingest::FieldMap;
using ingest::ImportKind;
using ingest::LayoutMatch;

// Kansas City, Missouri city limits (Jackson, Clay, Platte and Cass county parts), lon/lat.
const QgsRectangle kCityBox( -94.80, 38.80, -94.35, 39.40 );

struct Candidate
{
    QString field;
    QStringList names; //!< normalised column names, first found wins
};

//! Maps every candidate found in \a header into \a fields.
void mapColumns( const QStringList &header, const QVector<Candidate> &candidates, FieldMap &fields )
{
  for ( const Candidate &c : candidates )
  {
    const int i = ingest::findColumn( header, c.names );
    if ( i >= 0 )
      fields.insert( c.field, i );
  }
}

QStringList normalised( const QStringList &header )
{
  QStringList out;
  for ( const QString &h : header )
    out << ingest::normaliseColumnName( h );
  return out;
}

const QStringList kLatitude { QStringLiteral( "latitude" ), QStringLiteral( "lat" ) };
const QStringList kLongitude { QStringLiteral( "longitude" ), QStringLiteral( "longtitude" ), QStringLiteral( "lon" ), QStringLiteral( "long" ), QStringLiteral( "lng" ) };

LayoutMatch crime( const QStringList &raw, const QStringList &h )
{
  LayoutMatch m;
  namespace f = ingest::field;
  if ( !h.contains( QStringLiteral( "report_no" ) ) || !h.contains( QStringLiteral( "ibrs" ) ) )
    return m;
  mapColumns( h,
              { { f::ReportNo, { QStringLiteral( "report_no" ) } },
                { f::ReportedDate, { QStringLiteral( "reported_date" ) } },
                { f::ReportedTime, { QStringLiteral( "reported_time" ) } },
                { f::FromDate, { QStringLiteral( "from_date" ) } },
                { f::FromTime, { QStringLiteral( "from_time" ) } },
                { f::Offense, { QStringLiteral( "offense" ) } },
                { f::Ibrs, { QStringLiteral( "ibrs" ) } },
                { f::Description, { QStringLiteral( "description" ) } },
                { f::Beat, { QStringLiteral( "beat" ) } },
                { f::Address, { QStringLiteral( "address" ) } },
                { f::Zip, { QStringLiteral( "zip_code" ), QStringLiteral( "zip" ) } },
                { f::Area, { QStringLiteral( "area" ) } },
                { f::DvFlag, { QStringLiteral( "dvflag" ), QStringLiteral( "dv_flag" ) } },
                { f::FirearmFlag, { QStringLiteral( "firearm_used_flag" ), QStringLiteral( "firearm_used" ), QStringLiteral( "firearm_flag" ) } },
                { f::InvlNo, { QStringLiteral( "invl_no" ) } },
                { f::Involvement, { QStringLiteral( "involvement" ) } },
                { f::Race, { QStringLiteral( "race" ) } },
                { f::Sex, { QStringLiteral( "sex" ) } },
                { f::Age, { QStringLiteral( "age" ) } },
                { f::Location, { QStringLiteral( "location" ), QStringLiteral( "location_1" ) } },
                { f::Latitude, kLatitude },
                { f::Longitude, kLongitude } },
              m.fields );
  if ( !m.fields.contains( f::ReportedDate ) )
    return m;
  m.score = 50 + m.fields.size();
  // Name the year family from the drift the spec records.
  if ( h.contains( QStringLiteral( "location_1" ) ) )
  {
    m.layoutId = QStringLiteral( "kcpd-crime-2010-2014" );
    m.title = QStringLiteral( "KCPD crime, 2010-2014 export (Location 1)" );
  }
  else if ( !m.fields.contains( f::InvlNo ) )
  {
    m.layoutId = QStringLiteral( "kcpd-crime-2020" );
    m.title = QStringLiteral( "KCPD crime, 2020 export (no Invl_No)" );
  }
  else
  {
    m.layoutId = QStringLiteral( "kcpd-crime" );
    m.title = QStringLiteral( "KCPD crime, 2015-2019 / 2021-2025 export" );
  }
  if ( m.fields.contains( f::Latitude ) && m.fields.contains( f::Longitude ) )
    m.title += QStringLiteral( " with latitude/longitude columns" );
  Q_UNUSED( raw )
  return m;
}

LayoutMatch requests( const QStringList &h )
{
  LayoutMatch m;
  namespace f = ingest::field;
  if ( h.contains( QStringLiteral( "case_id" ) ) && h.contains( QStringLiteral( "creation_date" ) ) )
  {
    mapColumns( h,
                { { f::CaseId, { QStringLiteral( "case_id" ) } },
                  { f::RequestType, { QStringLiteral( "request_type" ) } },
                  { f::Category, { QStringLiteral( "category" ), QStringLiteral( "category1" ) } },
                  { f::Type, { QStringLiteral( "type" ) } },
                  { f::Detail, { QStringLiteral( "detail" ) } },
                  { f::CreatedDate, { QStringLiteral( "creation_date" ) } },
                  { f::CreatedTime, { QStringLiteral( "creation_time" ) } },
                  { f::Status, { QStringLiteral( "status" ) } },
                  { f::ClosedDate, { QStringLiteral( "closed_date" ) } },
                  { f::Address, { QStringLiteral( "street_address" ), QStringLiteral( "address" ) } },
                  { f::Zip, { QStringLiteral( "zip_code" ), QStringLiteral( "zip" ) } },
                  { f::Neighborhood, { QStringLiteral( "neighborhood" ) } },
                  { f::CouncilDistrict, { QStringLiteral( "council_district" ) } },
                  { f::Location, { QStringLiteral( "address_with_geocode" ), QStringLiteral( "location" ) } },
                  { f::Latitude, kLatitude },
                  { f::Longitude, kLongitude } },
                m.fields );
    m.layoutId = QStringLiteral( "kc-311-legacy" );
    m.title = QStringLiteral( "KC 311, legacy system (2007 - March 2021)" );
    m.options.insert( ingest::option::System, QStringLiteral( "legacy" ) );
    m.score = 50 + m.fields.size();
  }
  else if ( h.contains( QStringLiteral( "reported_issue" ) ) && h.contains( QStringLiteral( "open_date_time" ) ) )
  {
    mapColumns( h,
                { { f::CaseId, { QStringLiteral( "reported_issue" ) } },
                  { f::RequestType, { QStringLiteral( "issue_type" ) } },
                  { f::Category, { QStringLiteral( "issue_type" ) } },
                  { f::Type, { QStringLiteral( "issue_sub_type" ) } },
                  { f::Detail, { QStringLiteral( "department_work_group" ) } },
                  { f::CreatedDate, { QStringLiteral( "open_date_time" ) } },
                  { f::Status, { QStringLiteral( "current_status" ) } },
                  { f::LastUpdated, { QStringLiteral( "last_updated" ) } },
                  { f::Address, { QStringLiteral( "incident_address" ) } },
                  { f::CouncilDistrict, { QStringLiteral( "council_district" ) } },
                  { f::Location, { QStringLiteral( "lat_long" ) } },
                  { f::Latitude, kLatitude },
                  { f::Longitude, kLongitude } },
                m.fields );
    m.layoutId = QStringLiteral( "kc-311-current" );
    m.title = QStringLiteral( "KC 311, current system (March 2021 on)" );
    m.options.insert( ingest::option::System, QStringLiteral( "current" ) );
    m.score = 50 + m.fields.size();
  }
  return m;
}

LayoutMatch dangerous( const QStringList &h )
{
  LayoutMatch m;
  namespace f = ingest::field;
  const int key = ingest::findColumn( h, { QStringLiteral( "casenumber" ), QStringLiteral( "case_number" ) } );
  if ( key < 0 || ingest::findColumn( h, { QStringLiteral( "statusofcase" ), QStringLiteral( "status_of_case" ), QStringLiteral( "case_opened" ) } ) < 0 )
    return m;
  mapColumns( h,
              { { f::CaseNumber, { QStringLiteral( "casenumber" ), QStringLiteral( "case_number" ) } },
                { f::Address, { QStringLiteral( "address" ) } },
                { f::Zip, { QStringLiteral( "zip_code" ), QStringLiteral( "zip" ) } },
                { f::CaseOpened, { QStringLiteral( "case_opened" ) } },
                { f::Status, { QStringLiteral( "statusofcase" ), QStringLiteral( "status_of_case" ), QStringLiteral( "status" ) } },
                { f::Neighborhood, { QStringLiteral( "neighborhood" ) } },
                { f::Location, { QStringLiteral( "location" ), QStringLiteral( "location_1" ), QStringLiteral( "mapped_location" ) } },
                { f::Latitude, kLatitude },
                { f::Longitude, kLongitude } },
              m.fields );
  m.layoutId = QStringLiteral( "kc-dangerous-buildings" );
  m.title = QStringLiteral( "KC Dangerous Buildings list" );
  m.score = 50 + m.fields.size();
  return m;
}

LayoutMatch vacant( const QStringList &h )
{
  LayoutMatch m;
  namespace f = ingest::field;
  const QVector<Candidate> common {
    { f::Address, { QStringLiteral( "address" ), QStringLiteral( "property_address" ), QStringLiteral( "street_address" ) } },
    { f::Neighborhood, { QStringLiteral( "neighborhood" ) } },
    { f::Location, { QStringLiteral( "location_1" ), QStringLiteral( "location" ) } },
    { f::Latitude, kLatitude },
    { f::Longitude, kLongitude },
  };
  if ( h.contains( QStringLiteral( "parcel_number" ) ) && ( h.contains( QStringLiteral( "property_condition" ) ) || h.contains( QStringLiteral( "potential_use" ) ) ) )
  {
    mapColumns( h,
                { { f::ParcelId, { QStringLiteral( "parcel_number" ) } },
                  { f::Condition, { QStringLiteral( "property_condition" ) } },
                  { f::Status, { QStringLiteral( "potential_use" ), QStringLiteral( "property_class" ) } },
                  { f::ListedAt, { QStringLiteral( "acquisition_date" ) } } },
                m.fields );
    mapColumns( h, common, m.fields );
    m.layoutId = QStringLiteral( "kc-land-bank" );
    m.title = QStringLiteral( "KC Land Bank inventory" );
    m.options.insert( ingest::option::VacantKind, QStringLiteral( "land_bank" ) );
    m.score = 50 + m.fields.size();
    return m;
  }
  const int parcel = ingest::findColumn( h, { QStringLiteral( "kivapin" ), QStringLiteral( "pin" ), QStringLiteral( "parcel_id" ), QStringLiteral( "parcel_id_no" ), QStringLiteral( "parcel_number" ), QStringLiteral( "apn" ) } );
  if ( parcel < 0 )
    return m;
  m.fields.insert( f::ParcelId, parcel );
  mapColumns( h,
              { { f::ViolationCode, { QStringLiteral( "violation_code" ) } },
                { f::Condition, { QStringLiteral( "property_condition" ), QStringLiteral( "condition" ), QStringLiteral( "violation_description" ) } },
                { f::Status, { QStringLiteral( "status" ), QStringLiteral( "case_status" ) } },
                { f::ListedAt, { QStringLiteral( "registration_date" ), QStringLiteral( "violation_entry_date" ), QStringLiteral( "date_found" ), QStringLiteral( "listed_date" ) } },
                { f::VacantKind, { QStringLiteral( "vacant_kind" ), QStringLiteral( "kind" ) } } },
              m.fields );
  mapColumns( h, common, m.fields );
  if ( m.fields.contains( f::ViolationCode ) )
  {
    m.layoutId = QStringLiteral( "kc-property-violations" );
    m.title = QStringLiteral( "KC property violations (NSVACANT / NSBOARD01 rows)" );
  }
  else
  {
    m.layoutId = QStringLiteral( "kc-vacant-list" );
    m.title = QStringLiteral( "KC vacant property list" );
  }
  m.score = 40 + m.fields.size();
  return m;
}
} // namespace

ingest::LayoutMatch KansasCityLayouts::detect( ImportKind kind, const QStringList &header ) const
{
  const QStringList h = normalised( header );
  LayoutMatch m;
  switch ( kind )
  {
    case ImportKind::Crime:
      m = crime( header, h );
      break;
    case ImportKind::ServiceRequests:
      m = requests( h );
      break;
    case ImportKind::Dangerous:
      m = dangerous( h );
      break;
    case ImportKind::Vacant:
      m = vacant( h );
      break;
    case ImportKind::Neighborhoods:
    case ImportKind::Boundary:
      break;
  }
  if ( m.isValid() )
  {
    m.kind = kind;
    m.providerId = id();
    m.extentWgs84 = kCityBox;
  }
  return m;
}

QVector<ingest::BlightRule> KansasCityLayouts::defaultBlightMapping() const
{
  // From specs/kc-data.md ("Blight-related request types"), exact strings. The strings of the
  // current system for dumping and streetlights are unconfirmed: best guesses, editable.
  const QString legacy = QStringLiteral( "legacy" ), current = QStringLiteral( "current" );
  const QString requestType = QStringLiteral( "request_type" ), type = QStringLiteral( "type" );
  return {
    { legacy, requestType, QStringLiteral( "Vacant Structure Open to Entry" ), QStringLiteral( "vacant_structure" ) },
    { legacy, requestType, QStringLiteral( "Nuisance Violations on Private Property Vacant Structure" ), QStringLiteral( "vacant_structure" ) },
    { legacy, requestType, QStringLiteral( "Mowing / Weeds-Public Property-City Vacant Lot" ), QStringLiteral( "weeds" ) },
    { legacy, requestType, QStringLiteral( "Cleaning vacant Land Trust Lots" ), QStringLiteral( "weeds" ) },
    { legacy, requestType, QStringLiteral( "Trash / Recycling-Dumping-Private Property" ), QStringLiteral( "dumping" ) },
    { legacy, requestType, QStringLiteral( "Trash / Recycling-Dumping-ROW Land Bank Central" ), QStringLiteral( "dumping" ) },
    { legacy, requestType, QStringLiteral( "Trash / Recycling-Nuisance Land Bank" ), QStringLiteral( "nuisance" ) },
    { legacy, requestType, QStringLiteral( "Animals / Pets-Rat Treatment-Vacant Property" ), QStringLiteral( "rats" ) },
    { legacy, type, QStringLiteral( "Dangerous Building" ), QStringLiteral( "dangerous_building" ) },
    { legacy, type, QStringLiteral( "Board Up" ), QStringLiteral( "vacant_structure" ) },
    { legacy, type, QStringLiteral( "Dumping" ), QStringLiteral( "dumping" ) },
    { legacy, type, QStringLiteral( "Illegal Dumping" ), QStringLiteral( "dumping" ) },
    { legacy, type, QStringLiteral( "Nuisance" ), QStringLiteral( "nuisance" ) },
    { legacy, type, QStringLiteral( "Property Maintenance" ), QStringLiteral( "nuisance" ) },
    { legacy, type, QStringLiteral( "Rat Treatment" ), QStringLiteral( "rats" ) },
    { legacy, type, QStringLiteral( "Trash" ), QStringLiteral( "trash" ) },
    { legacy, type, QStringLiteral( "Bulky" ), QStringLiteral( "trash" ) },
    { legacy, type, QStringLiteral( "Streetlight Out" ), QStringLiteral( "streetlight" ) },
    { current, type, QStringLiteral( "Weeds" ), QStringLiteral( "weeds" ) },
    { current, type, QStringLiteral( "Open to Entry" ), QStringLiteral( "vacant_structure" ) },
    { current, type, QStringLiteral( "Failure to Register Vacant Property" ), QStringLiteral( "vacant_structure" ) },
    { current, type, QStringLiteral( "Contractor Board Up Referrals" ), QStringLiteral( "vacant_structure" ) },
    { current, type, QStringLiteral( "Contractor Abatement Referral" ), QStringLiteral( "nuisance" ) },
    { current, type, QStringLiteral( "Dangerous Building" ), QStringLiteral( "dangerous_building" ) },
    { current, type, QStringLiteral( "Trash and Debris" ), QStringLiteral( "trash" ) },
    { current, type, QStringLiteral( "Garbage and Debris" ), QStringLiteral( "trash" ) },
    { current, type, QStringLiteral( "Rats" ), QStringLiteral( "rats" ) },
    { current, type, QStringLiteral( "Illegal Dumping" ), QStringLiteral( "dumping" ) },
    { current, type, QStringLiteral( "Streetlight Out" ), QStringLiteral( "streetlight" ) },
    { current, requestType, QStringLiteral( "Dangerous Buildings" ), QStringLiteral( "dangerous_building" ) },
    { current, requestType, QStringLiteral( "Health Code Violations" ), QStringLiteral( "nuisance" ) },
  };
}

} // namespace statdesk::kansascity
