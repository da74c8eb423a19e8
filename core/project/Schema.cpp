#include "Schema.h"

namespace statdesk::schema
{

namespace
{
Field text( const char *name ) { return Field { QString::fromLatin1( name ), FieldType::Text }; }
Field integer( const char *name ) { return Field { QString::fromLatin1( name ), FieldType::Integer }; }
Field real( const char *name ) { return Field { QString::fromLatin1( name ), FieldType::Real }; }

QVector<Table> buildTables()
{
  QVector<Table> t;
  // Provenance columns shared by every imported layer: where a record came from, a hash of
  // its normalised content (re-imports compare it to decide updated / unchanged) and what
  // the importer noticed about its location (ok, missing, zero, swapped, outside_extent).
  const QVector<Field> provenance { text( "source" ), text( "row_hash" ), text( "location_flag" ) };

  Table incidents { kIncidents, QStringLiteral( "Crime incidents" ), TableKind::PointLayer,
                    { text( "offense_key" ), text( "report_no" ), text( "ibrs" ), text( "offense" ), text( "description" ),
                      text( "category" ), integer( "violent" ), integer( "firearm" ), integer( "domestic" ), integer( "shooting" ),
                      text( "occurred_at" ), text( "reported_at" ), text( "address" ), text( "beat" ), text( "area" ),
                      text( "zip" ) },
                    { QStringLiteral( "CREATE UNIQUE INDEX IF NOT EXISTS idx_incidents_key ON incidents(offense_key)" ),
                      QStringLiteral( "CREATE INDEX IF NOT EXISTS idx_incidents_occurred ON incidents(occurred_at)" ),
                      QStringLiteral( "CREATE INDEX IF NOT EXISTS idx_incidents_report ON incidents(report_no)" ) } };
  incidents.fields += provenance;
  t << incidents;

  Table requests { kServiceRequests, QStringLiteral( "311 service requests" ), TableKind::PointLayer,
                   { text( "case_id" ), text( "system" ), text( "request_type" ), text( "category" ), text( "type" ),
                     text( "detail" ), text( "blight_class" ), text( "status" ), text( "status_raw" ), text( "created_at" ),
                     text( "closed_at" ), text( "address" ), text( "zip" ), text( "neighborhood" ), text( "council_district" ) },
                   { QStringLiteral( "CREATE UNIQUE INDEX IF NOT EXISTS idx_requests_key ON service_requests(case_id)" ),
                     QStringLiteral( "CREATE INDEX IF NOT EXISTS idx_requests_created ON service_requests(created_at)" ),
                     QStringLiteral( "CREATE INDEX IF NOT EXISTS idx_requests_blight ON service_requests(blight_class)" ) } };
  requests.fields += provenance;
  t << requests;

  Table vacant { kVacantParcels, QStringLiteral( "Vacant parcels" ), TableKind::PointLayer,
                 { text( "parcel_id" ), text( "kind" ), text( "address" ), text( "condition" ), text( "status" ),
                   text( "neighborhood" ), text( "listed_at" ) },
                 { QStringLiteral( "CREATE UNIQUE INDEX IF NOT EXISTS idx_vacant_key ON vacant_parcels(parcel_id)" ) } };
  vacant.fields += provenance;
  t << vacant;

  Table dangerous { kDangerousBuildings, QStringLiteral( "Dangerous buildings" ), TableKind::PointLayer,
                    { text( "case_number" ), text( "address" ), text( "status" ), text( "case_opened" ), text( "neighborhood" ) },
                    { QStringLiteral( "CREATE UNIQUE INDEX IF NOT EXISTS idx_dangerous_key ON dangerous_buildings(case_number)" ) } };
  dangerous.fields += provenance;
  t << dangerous;

  t << Table { kNeighborhoods, QStringLiteral( "Neighborhoods" ), TableKind::PolygonLayer,
               { text( "nbh_id" ), text( "name" ), integer( "is_grant" ), real( "area_sqkm" ), text( "source" ) },
               { QStringLiteral( "CREATE UNIQUE INDEX IF NOT EXISTS idx_neighborhoods_key ON neighborhoods(nbh_id)" ) } };

  t << Table { kBoundaries, QStringLiteral( "Boundaries" ), TableKind::PolygonLayer,
               { text( "boundary_id" ), text( "kind" ), text( "name" ), text( "source" ) },
               { QStringLiteral( "CREATE UNIQUE INDEX IF NOT EXISTS idx_boundaries_key ON boundaries(kind, boundary_id)" ) } };

  t << Table { kMetadata, QStringLiteral( "StatDesk metadata" ), TableKind::Attributes,
               { text( "key" ), text( "value" ) },
               { QStringLiteral( "CREATE UNIQUE INDEX IF NOT EXISTS idx_metadata_key ON statdesk_metadata(key)" ) } };

  t << Table { kBlightMapping, QStringLiteral( "311 blight mapping" ), TableKind::Attributes,
               { text( "system" ), text( "field" ), text( "value" ), text( "blight_class" ) },
               { QStringLiteral( "CREATE UNIQUE INDEX IF NOT EXISTS idx_blight_mapping ON blight_mapping(system, field, value)" ) } };

  t << Table { kImportLog, QStringLiteral( "Import log" ), TableKind::Attributes,
               { text( "import_id" ), text( "kind" ), text( "layout" ), text( "source_file" ), text( "source_sha256" ),
                 text( "started_at" ), text( "finished_at" ), integer( "rows_read" ), integer( "imported" ), integer( "updated" ),
                 integer( "unchanged" ), integer( "rejected" ), integer( "without_location" ), text( "summary_json" ) },
               {} };

  t << Table { kImportRejects, QStringLiteral( "Import rejects" ), TableKind::Attributes,
               { text( "import_id" ), text( "source_file" ), integer( "line_no" ), text( "raw_text" ), text( "reason" ) },
               { QStringLiteral( "CREATE INDEX IF NOT EXISTS idx_rejects_import ON import_rejects(import_id)" ) } };

  t << Table { kPersonInvolvements, QStringLiteral( "Persons involved (restricted)" ), TableKind::Restricted,
               { text( "offense_key" ), text( "report_no" ), text( "invl_no" ), text( "involvement" ), text( "race" ),
                 text( "sex" ), text( "age" ), text( "row_hash" ) },
               // Lookups by offense use this index's first column (projects of earlier builds also
               // have a separate idx_persons_offense; it is harmless and left alone).
               { QStringLiteral( "CREATE UNIQUE INDEX IF NOT EXISTS idx_persons_row ON restricted_person_involvements(offense_key, invl_no, involvement, race, sex, age)" ) } };
  return t;
}
} // namespace

const QVector<Table> &tables()
{
  static const QVector<Table> sTables = buildTables();
  return sTables;
}

const Table *table( const QString &name )
{
  for ( const Table &t : tables() )
  {
    if ( t.name == name )
      return &t;
  }
  return nullptr;
}

} // namespace statdesk::schema
