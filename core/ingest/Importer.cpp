#include "Importer.h"
#include "ingest/OgrSource.h"
#include "CsvReader.h"
#include "LayoutRegistry.h"
#include "Values.h"
#include "common/GpkgGeometry.h"
#include "project/ProjectFile.h"
#include "project/Schema.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonDocument>
#include <QUuid>

#include <qgscoordinatetransform.h>
#include <qgsexception.h>
#include <qgsfeedback.h>
#include <qgsproject.h>

#include <sqlite3.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <limits>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>

namespace statdesk::ingest
{

namespace
{
// ---------------------------------------------------------------------------------------------
// Target columns per kind (besides fid, geom and row_hash). Column 0 is the record key.

struct KindColumns
{
    QString table;
    std::vector<QByteArray> names;
    std::vector<bool> integer;
    int source = -1;
    int flag = -1;
    int domestic = -1; //!< crime: merged over the rows of an offense, hashed separately
};

KindColumns columnsFor( ImportKind kind )
{
  KindColumns c;
  c.table = targetTable( kind );
  QList<QByteArray> names;
  switch ( kind )
  {
    case ImportKind::Crime:
      names = { "offense_key", "report_no", "ibrs", "offense", "description", "category", "violent", "firearm", "domestic", "shooting",
                "occurred_at", "reported_at", "address", "beat", "area", "zip", "source", "location_flag" };
      break;
    case ImportKind::ServiceRequests:
      names = { "case_id", "system", "request_type", "category", "type", "detail", "blight_class", "status", "status_raw", "created_at",
                "closed_at", "address", "zip", "neighborhood", "council_district", "source", "location_flag" };
      break;
    case ImportKind::Vacant:
      names = { "parcel_id", "kind", "address", "condition", "status", "neighborhood", "listed_at", "source", "location_flag" };
      break;
    case ImportKind::Dangerous:
      names = { "case_number", "address", "status", "case_opened", "neighborhood", "source", "location_flag" };
      break;
    default:
      break;
  }
  for ( const QByteArray &n : names )
  {
    c.names.push_back( n );
    c.integer.push_back( n == "violent" || n == "firearm" || n == "domestic" || n == "shooting" );
  }
  c.source = names.indexOf( "source" );
  c.flag = names.indexOf( "location_flag" );
  c.domestic = names.indexOf( "domestic" );
  return c;
}

// Person fields of a crime row follow the table columns in a record.
enum PersonField
{
  PInvlNo,
  PInvolvement,
  PRace,
  PSex,
  PAge,
  PCount
};

// ---------------------------------------------------------------------------------------------
// One source row on its way from the parser thread to the writer.

struct Record
{
    qint64 line = 0;
    std::string buf;
    std::vector<std::pair<int, int>> spans; //!< (offset, size); size -1 = NULL
    bool hasCoords = false;
    double lon = 0, lat = 0;
    bool placed = false;
    double x = 0, y = 0;
    const char *flag = "missing";
    QByteArray geom;
    int domestic = -1;
    quint64 hash = 0;
    QByteArray rejectReason;
    QByteArray raw;

    void reset( int n ) { spans.assign( n, { 0, -1 } ); }
    void set( int i, const char *d, int n )
    {
      spans[i] = { static_cast<int>( buf.size() ), n };
      buf.append( d, n );
    }
    void set( int i, Bytes b ) { set( i, b.data, b.size ); }
    void set( int i, const QByteArray &b )
    {
      if ( b.isNull() )
        spans[i] = { 0, -1 };
      else
        set( i, b.constData(), b.size() );
    }
    //! Blank -> NULL.
    void setText( int i, Bytes b )
    {
      b = trimmed( b );
      if ( b.size > 0 )
        set( i, b );
      else
        spans[i] = { 0, -1 };
    }
    void setInt( int i, int v ) // -1 = NULL
    {
      if ( v < 0 )
        spans[i] = { 0, -1 };
      else
        set( i, v ? "1" : "0", 1 );
    }
    bool isNull( int i ) const { return spans[i].second < 0; }
    Bytes get( int i ) const { return spans[i].second < 0 ? Bytes() : Bytes { buf.data() + spans[i].first, spans[i].second }; }
    QByteArray bytes( int i ) const { return spans[i].second < 0 ? QByteArray() : QByteArray( buf.data() + spans[i].first, spans[i].second ); }
    bool isReject() const { return !rejectReason.isEmpty(); }
};

struct Batch
{
    std::vector<Record> records;
    qint64 bytes = 0;
    qint64 latin1 = 0;
    bool last = false;
    QString fatal;
};

//! Bounded hand-over between the parser thread and the writer.
class BatchQueue
{
  public:
    explicit BatchQueue( size_t capacity )
      : mCapacity( capacity ) {}
    bool push( Batch &&b )
    {
      std::unique_lock<std::mutex> lock( mMutex );
      mNotFull.wait( lock, [&] { return mQueue.size() < mCapacity || mStop; } );
      if ( mStop )
        return false;
      mQueue.push_back( std::move( b ) );
      mNotEmpty.notify_one();
      return true;
    }
    Batch pop()
    {
      std::unique_lock<std::mutex> lock( mMutex );
      mNotEmpty.wait( lock, [&] { return !mQueue.empty(); } );
      Batch b = std::move( mQueue.front() );
      mQueue.pop_front();
      mNotFull.notify_one();
      return b;
    }
    void stop()
    {
      std::lock_guard<std::mutex> lock( mMutex );
      mStop = true;
      mNotFull.notify_all();
    }
    bool stopped()
    {
      std::lock_guard<std::mutex> lock( mMutex );
      return mStop;
    }

  private:
    std::mutex mMutex;
    std::condition_variable mNotEmpty, mNotFull;
    std::deque<Batch> mQueue;
    size_t mCapacity;
    bool mStop = false;
};

// ---------------------------------------------------------------------------------------------
// Turning source rows into records (parser thread).

class RecordBuilder
{
  public:
    ImportKind kind;
    LayoutMatch match;
    KindColumns cols;
    int headerCount = 0;
    QByteArray source;
    QByteArray system;
    QByteArray fixedVacantKind;
    DateOrder order = DateOrder::MonthDayYear;
    std::unique_ptr<LocalTimeFormatter> formatter;
    QHash<QString, QString> blight; //!< "system\x1f field\x1f value" -> class
    QgsCoordinateTransform transform;
    bool sourceGeographic = true;
    QgsRectangle box; //!< trusted lon/lat box (null = none)
    int srsId = 0;

    const CsvReader *reader = nullptr;
    int col( const QString &f ) const { return match.fields.value( f, -1 ); }
    bool has( const QString &f ) const { return col( f ) >= 0; }
    Bytes value( const QString &f ) const
    {
      const int c = col( f );
      if ( c < 0 || c >= reader->fieldCount() )
        return Bytes();
      return Bytes { reader->fieldData( c ), reader->fieldSize( c ) };
    }

    //! Date (+ time column): false with \a reason when a non-blank cell does not parse.
    bool dateTime( const QString &dateField, const QString &timeField, DateTimeValue &out, QByteArray &reason ) const
    {
      out = DateTimeValue();
      const Bytes d = trimmed( value( dateField ) );
      if ( d.isEmpty() )
        return true;
      out = parseDateTime( d, order );
      if ( !out.isValid() )
      {
        reason = "bad_date";
        return false;
      }
      if ( out.seconds < 0 && !timeField.isEmpty() )
      {
        const Bytes t = trimmed( value( timeField ) );
        if ( !t.isEmpty() )
        {
          out.seconds = parseTimeOfDay( t );
          if ( out.seconds < 0 )
          {
            reason = "bad_time";
            return false;
          }
        }
      }
      return true;
    }

    static QByteArray simplified( Bytes b ) { return b.isEmpty() ? QByteArray() : b.toByteArray().simplified(); }

    void readLocation( Record &r ) const
    {
      double lat = 0, lon = 0;
      const Bytes latText = trimmed( value( field::Latitude ) );
      const Bytes lonText = trimmed( value( field::Longitude ) );
      if ( !latText.isEmpty() && !lonText.isEmpty() && parseDouble( latText, lat ) && parseDouble( lonText, lon ) && !( lat == 0 && lon == 0 && has( field::Location ) && parseLocationText( value( field::Location ), lon, lat ) ) )
      {
        r.hasCoords = true;
      }
      else if ( parseLocationText( value( field::Location ), lon, lat ) )
        r.hasCoords = true;
      r.lon = lon;
      r.lat = lat;
    }

    QByteArray blightClass( const QByteArray &sys, const char *fieldName, const QByteArray &v ) const
    {
      if ( v.isEmpty() )
        return QByteArray();
      const QString value = QString::fromUtf8( v );
      for ( const QByteArray &s : { sys, QByteArray( "*" ) } )
      {
        const auto it = blight.constFind( QString::fromUtf8( s ) + QChar( 0x1f ) + QLatin1String( fieldName ) + QChar( 0x1f ) + value );
        if ( it != blight.constEnd() )
          return it.value().toUtf8();
      }
      return QByteArray();
    }

    bool build( Record &r ) const
    {
      r.reset( static_cast<int>( cols.names.size() ) + ( kind == ImportKind::Crime ? PCount : 0 ) );
      r.buf.reserve( 512 );
      r.set( cols.source, source );
      switch ( kind )
      {
        case ImportKind::Crime:
          return buildCrime( r );
        case ImportKind::ServiceRequests:
          return buildRequest( r );
        case ImportKind::Vacant:
          return buildVacant( r );
        case ImportKind::Dangerous:
          return buildDangerous( r );
        default:
          return false;
      }
    }

    bool buildCrime( Record &r ) const
    {
      const Bytes reportNo = trimmed( value( field::ReportNo ) );
      const QByteArray ibrs = trimmed( value( field::Ibrs ) ).toByteArray().toUpper();
      if ( reportNo.isEmpty() || ibrs.isEmpty() )
      {
        r.rejectReason = "missing_key";
        return false;
      }
      DateTimeValue reported, from;
      if ( !dateTime( field::ReportedDate, field::ReportedTime, reported, r.rejectReason ) || !dateTime( field::FromDate, field::FromTime, from, r.rejectReason ) )
        return false;
      const DateTimeValue occurred = from.isValid() ? from : reported;
      const int firearm = parseFlag( value( field::FirearmFlag ) );
      const bool violent = isViolentIbrs( ibrs );
      const int n = static_cast<int>( cols.names.size() );
      QByteArray key = reportNo.toByteArray();
      key += '|';
      key += ibrs;
      r.set( 0, key );
      r.set( 1, reportNo );
      r.set( 2, ibrs );
      r.setText( 3, value( field::Offense ) );
      r.setText( 4, value( field::Description ) );
      r.set( 5, ibrsCategory( ibrs ) );
      r.setInt( 6, violent ? 1 : 0 );
      r.setInt( 7, firearm );
      r.domestic = parseFlag( value( field::DvFlag ) );
      r.setInt( 9, isShootingIbrs( ibrs ) && firearm == 1 ? 1 : 0 );
      r.set( 10, formatter->format( occurred ) );
      r.set( 11, formatter->format( reported ) );
      QByteArray address = simplified( value( field::Address ) );
      if ( address.isEmpty() )
        address = simplified( locationAddress( value( field::Location ) ) );
      r.set( 12, address );
      r.setText( 13, value( field::Beat ) );
      r.setText( 14, value( field::Area ) );
      r.setText( 15, value( field::Zip ) );
      r.setText( n + PInvlNo, value( field::InvlNo ) );
      r.setText( n + PInvolvement, value( field::Involvement ) );
      r.setText( n + PRace, value( field::Race ) );
      r.setText( n + PSex, value( field::Sex ) );
      r.setText( n + PAge, value( field::Age ) );
      readLocation( r );
      return true;
    }

    static QByteArray normaliseStatus( const QByteArray &raw, bool hasClosedDate )
    {
      const QByteArray s = raw.trimmed().toLower();
      static const char *const open[] = { "open", "assig", "assigned", "new", "received", "referred", "active", "in progress", "pending", "reopened", "hold", "on hold" };
      static const char *const closed[] = { "resol", "resolved", "closed", "canc", "canceled", "cancelled", "dup", "duplicate", "fail", "failed", "completed", "complete" };
      for ( const char *o : open )
        if ( s == o )
          return "open";
      for ( const char *c : closed )
        if ( s == c )
          return "closed";
      return hasClosedDate ? "closed" : ( s.isEmpty() ? QByteArray() : QByteArray( "open" ) );
    }

    bool buildRequest( Record &r ) const
    {
      const Bytes caseId = trimmed( value( field::CaseId ) );
      if ( caseId.isEmpty() )
      {
        r.rejectReason = "missing_key";
        return false;
      }
      DateTimeValue created, closed, updated;
      if ( !dateTime( field::CreatedDate, field::CreatedTime, created, r.rejectReason ) || !dateTime( field::ClosedDate, QString(), closed, r.rejectReason )
           || !dateTime( field::LastUpdated, QString(), updated, r.rejectReason ) )
        return false;
      const QByteArray statusRaw = trimmed( value( field::Status ) ).toByteArray();
      const QByteArray status = normaliseStatus( statusRaw, closed.isValid() );
      if ( !closed.isValid() && status == "closed" && updated.isValid() )
        closed = updated; // the current system has no closing date: last update of a closed request
      const QByteArray requestType = simplified( value( field::RequestType ) );
      const QByteArray category = simplified( value( field::Category ) );
      const QByteArray type = simplified( value( field::Type ) );
      QByteArray cls;
      if ( system == "current" )
      {
        cls = blightClass( system, "type", type );
        if ( cls.isEmpty() )
          cls = blightClass( system, "request_type", requestType );
      }
      else
      {
        cls = blightClass( system, "request_type", requestType );
        if ( cls.isEmpty() )
          cls = blightClass( system, "type", type );
      }
      if ( cls.isEmpty() )
        cls = blightClass( system, "category", category );
      QByteArray address = simplified( value( field::Address ) );
      QByteArray zip = trimmed( value( field::Zip ) ).toByteArray();
      if ( zip.isEmpty() && address.size() > 5 )
      {
        const QByteArray tail = address.right( 5 );
        bool digits = address.at( address.size() - 6 ) == ' ';
        for ( char c : tail )
          digits = digits && c >= '0' && c <= '9';
        if ( digits )
          zip = tail;
      }
      r.set( 0, caseId );
      r.set( 1, system );
      r.set( 2, requestType );
      r.set( 3, category );
      r.set( 4, type );
      r.setText( 5, value( field::Detail ) );
      r.set( 6, cls );
      r.set( 7, status );
      r.set( 8, statusRaw.isEmpty() ? QByteArray() : statusRaw );
      r.set( 9, formatter->format( created ) );
      r.set( 10, formatter->format( closed ) );
      r.set( 11, address );
      r.set( 12, zip.isEmpty() ? QByteArray() : zip );
      r.setText( 13, value( field::Neighborhood ) );
      r.setText( 14, value( field::CouncilDistrict ) );
      readLocation( r );
      return true;
    }

    bool buildVacant( Record &r ) const
    {
      const Bytes parcel = trimmed( value( field::ParcelId ) );
      if ( parcel.isEmpty() )
      {
        r.rejectReason = "missing_key";
        return false;
      }
      const QByteArray violation = trimmed( value( field::ViolationCode ) ).toByteArray().toUpper();
      const QByteArray condition = simplified( value( field::Condition ) );
      QByteArray kindValue = fixedVacantKind;
      if ( kindValue.isEmpty() && has( field::ViolationCode ) )
      {
        // Property violations: only the vacant-property codes describe vacant parcels.
        if ( violation == "NSVACANT" || violation == "NSBOARD01" )
          kindValue = "vacant_structure";
        else
        {
          r.rejectReason = "not_a_vacant_property_violation";
          return false;
        }
      }
      if ( kindValue.isEmpty() && has( field::VacantKind ) )
        kindValue = trimmed( value( field::VacantKind ) ).toByteArray().toLower().replace( ' ', '_' );
      if ( kindValue.isEmpty() )
      {
        const QByteArray c = condition.toLower();
        if ( c.contains( "structure" ) || c.contains( "house" ) || c.contains( "building" ) )
          kindValue = "vacant_structure";
        else if ( c.contains( "lot" ) || c.contains( "land" ) )
          kindValue = "vacant_lot";
      }
      QByteArray address = simplified( value( field::Address ) );
      if ( address.isEmpty() )
        address = simplified( locationAddress( value( field::Location ) ) );
      DateTimeValue listed;
      if ( !dateTime( field::ListedAt, QString(), listed, r.rejectReason ) )
        return false;
      QByteArray status = simplified( value( field::Status ) );
      if ( status.isEmpty() && !violation.isEmpty() )
        status = violation;
      r.set( 0, parcel );
      r.set( 1, kindValue.isEmpty() ? QByteArray() : kindValue );
      r.set( 2, address );
      r.set( 3, condition );
      r.set( 4, status );
      r.setText( 5, value( field::Neighborhood ) );
      r.set( 6, LocalTimeFormatter::formatDate( listed.jd ) );
      readLocation( r );
      return true;
    }

    bool buildDangerous( Record &r ) const
    {
      const Bytes caseNumber = trimmed( value( field::CaseNumber ) );
      if ( caseNumber.isEmpty() )
      {
        r.rejectReason = "missing_key";
        return false;
      }
      DateTimeValue opened;
      if ( !dateTime( field::CaseOpened, QString(), opened, r.rejectReason ) )
        return false;
      QByteArray address = simplified( value( field::Address ) );
      if ( address.isEmpty() )
        address = simplified( locationAddress( value( field::Location ) ) );
      r.set( 0, caseNumber );
      r.set( 1, address );
      r.set( 2, simplified( value( field::Status ) ) );
      r.set( 3, LocalTimeFormatter::formatDate( opened.jd ) );
      r.setText( 4, value( field::Neighborhood ) );
      readLocation( r );
      return true;
    }

    //! Location checks, reprojection, geometry blobs and content hashes of a batch.
    void finish( std::vector<Record> &records ) const
    {
      std::vector<double> xs, ys;
      std::vector<Record *> placed;
      xs.reserve( records.size() );
      ys.reserve( records.size() );
      for ( Record &r : records )
      {
        if ( r.isReject() )
          continue;
        if ( !r.hasCoords )
          r.flag = "missing";
        else if ( r.lon == 0 || r.lat == 0 )
          r.flag = "zero";
        else if ( !sourceGeographic )
          r.flag = "ok";
        else if ( !box.isNull() )
        {
          if ( box.contains( QgsPointXY( r.lon, r.lat ) ) )
            r.flag = "ok";
          else if ( box.contains( QgsPointXY( r.lat, r.lon ) ) )
          {
            std::swap( r.lon, r.lat );
            r.flag = "swapped";
          }
          else
            r.flag = "outside_extent";
        }
        else if ( std::fabs( r.lat ) <= 90 && std::fabs( r.lon ) <= 180 )
          r.flag = "ok";
        else if ( std::fabs( r.lon ) <= 90 && std::fabs( r.lat ) <= 180 )
        {
          std::swap( r.lon, r.lat );
          r.flag = "swapped";
        }
        else
          r.flag = "outside_extent";
        if ( qstrcmp( r.flag, "ok" ) == 0 || qstrcmp( r.flag, "swapped" ) == 0 )
        {
          placed.push_back( &r );
          xs.push_back( r.lon );
          ys.push_back( r.lat );
        }
      }
      if ( !placed.empty() )
      {
        std::vector<double> zs( xs.size(), 0.0 );
        bool batchOk = true;
        try
        {
          transform.transformCoords( static_cast<int>( xs.size() ), xs.data(), ys.data(), zs.data() );
        }
        catch ( QgsCsException & )
        {
          batchOk = false;
        }
        for ( size_t i = 0; i < placed.size(); ++i )
        {
          Record &r = *placed[i];
          double x = xs[i], y = ys[i];
          if ( !batchOk )
          {
            x = r.lon;
            y = r.lat;
            double z = 0;
            try
            {
              transform.transformInPlace( x, y, z );
            }
            catch ( QgsCsException & )
            {
              x = y = std::numeric_limits<double>::quiet_NaN();
            }
          }
          if ( std::isfinite( x ) && std::isfinite( y ) )
          {
            r.placed = true;
            r.x = x;
            r.y = y;
            r.geom = gpkgPointBlob( x, y, srsId );
          }
          else
            r.flag = "transform_failed";
        }
      }
      const int n = static_cast<int>( cols.names.size() );
      for ( Record &r : records )
      {
        if ( r.isReject() )
          continue;
        r.set( cols.flag, r.flag, static_cast<int>( strlen( r.flag ) ) );
        ContentHasher h;
        for ( int i = 0; i < n; ++i )
        {
          if ( i == cols.source || i == cols.domestic )
            continue;
          if ( r.isNull( i ) )
            h.addNull();
          else
          {
            const Bytes b = r.get( i );
            h.add( b.data, b.size );
          }
        }
        if ( r.placed )
        {
          h.add( std::round( r.x * 1000 ) / 1000 );
          h.add( std::round( r.y * 1000 ) / 1000 );
        }
        r.hash = h.value();
      }
    }
};

// ---------------------------------------------------------------------------------------------
// The writer (calling thread).

struct Entry
{
    qint64 fid = 0;
    quint64 stored = 0;   //!< hash in the database now
    quint64 original = 0; //!< hash before this import
    bool existed = false;
    bool hadHash = false;
    bool touched = false;
    bool presentLoaded = false;
    int domestic = -1;
    std::vector<quint64> persons; //!< person hashes seen in this import (crime)
    std::vector<quint64> present; //!< person hashes in the database (loaded on demand)
};

class Stmt
{
  public:
    Stmt( sqlite3 *db, const QByteArray &sql )
    {
      if ( sqlite3_prepare_v2( db, sql.constData(), sql.size(), &mStmt, nullptr ) != SQLITE_OK )
      {
        mError = QString::fromUtf8( sqlite3_errmsg( db ) );
        mStmt = nullptr;
      }
    }
    ~Stmt() { sqlite3_finalize( mStmt ); }
    Stmt( const Stmt & ) = delete;
    Stmt &operator=( const Stmt & ) = delete;
    sqlite3_stmt *operator*() const { return mStmt; }
    bool ok() const { return mStmt != nullptr; }
    QString error() const { return mError; }

  private:
    sqlite3_stmt *mStmt = nullptr;
    QString mError;
};

int flagOrNull( int a, int b )
{
  if ( a == 1 || b == 1 )
    return 1;
  if ( a == 0 || b == 0 )
    return 0;
  return -1;
}

quint64 personHash( const Record &r, int base, const QByteArray &ordinal )
{
  ContentHasher h;
  for ( int p = 0; p < PCount; ++p )
  {
    if ( p == PInvlNo && r.isNull( base + PInvlNo ) )
    {
      h.add( ordinal );
      continue;
    }
    if ( r.isNull( base + p ) )
      h.addNull();
    else
    {
      const Bytes b = r.get( base + p );
      h.add( b.data, b.size );
    }
  }
  return h.value();
}

} // namespace

Importer::Importer( ProjectFile &project )
  : mProject( project )
{
}

bool Importer::seedBlightMappingInTransaction( ProjectFile &project, const QVector<BlightRule> &rules )
{
  SqliteDatabase &db = project.database();
  if ( db.scalar( QStringLiteral( "SELECT COUNT(*) FROM blight_mapping" ) ).toLongLong() > 0 )
    return true;
  SqliteStatement st( db, QStringLiteral( "INSERT OR IGNORE INTO blight_mapping(system, field, value, blight_class) VALUES (?, ?, ?, ?)" ) );
  for ( const BlightRule &r : rules )
  {
    if ( !blightClasses().contains( r.blightClass ) )
      continue;
    st.bindText( 1, r.system );
    st.bindText( 2, r.field );
    st.bindText( 3, r.value );
    st.bindText( 4, r.blightClass );
    if ( !st.exec() )
      return false;
  }
  return true;
}

ImportSummary Importer::run( const ImportOptions &options, QgsFeedback *feedback )
{
  QElapsedTimer timer;
  timer.start();
  ImportSummary summary;
  summary.kind = kindName( options.kind );
  summary.sourceFile = sourceName( options );
  if ( mProject.isReadOnly() )
    summary.error = QObject::tr( "The project is open read-only." );
  else if ( !QFileInfo( options.filePath ).exists() )
    summary.error = QObject::tr( "No such file: %1" ).arg( options.filePath );
  if ( !summary.error.isEmpty() )
    return summary;
  if ( isPolygonKind( options.kind ) )
    summary = runPolygons( options, feedback );
  else if ( isOgrSource( options.filePath ) )
    summary = runOgrPoints( options, feedback );
  else
    summary = runCsv( options, feedback );
  summary.seconds = timer.elapsed() / 1000.0;
  return summary;
}

namespace
{
//! Resolves the layout of a CSV header for \a kind: a saved mapping, or the plugins.
LayoutMatch resolveLayout( ImportKind kind, const QStringList &header, ProjectFile *project, const QString &mapping, ColumnMapping *columnMapping, QString *error )
{
  if ( !mapping.isEmpty() )
  {
    ColumnMapping m;
    if ( !loadMapping( project, mapping, &m, error ) )
      return LayoutMatch();
    if ( m.kind != kind )
    {
      *error = QObject::tr( "Mapping \"%1\" is for %2 files, not %3." ).arg( m.name, kindName( m.kind ), kindName( kind ) );
      return LayoutMatch();
    }
    if ( columnMapping )
      *columnMapping = m;
    return m.resolve( header, error );
  }
  LayoutMatch match = LayoutRegistry::instance().detect( kind, header );
  if ( match.isValid() )
    return match;
  const LayoutMatch other = LayoutRegistry::instance().detectAnyKind( header );
  if ( other.isValid() )
    *error = QObject::tr( "This looks like a %1 file (%2), not %3: choose the kind \"%1\"." ).arg( kindName( other.kind ), other.title, kindName( kind ) );
  else
  {
    QStringList shown = header.mid( 0, 12 );
    if ( header.size() == 1 )
      *error = QObject::tr( "Only one column was found (\"%1\"): the file does not use , ; tab or | as delimiter, or is not a data export." ).arg( header.value( 0 ).left( 80 ) );
    else
      *error = QObject::tr( "Unknown %1 layout (columns: %2%3). Import it with a column mapping (--mapping FILE)." )
                 .arg( kindName( kind ), shown.join( QLatin1String( ", " ) ), header.size() > shown.size() ? QStringLiteral( ", ..." ) : QString() );
    if ( LayoutRegistry::instance().providers().isEmpty() )
      *error += QObject::tr( " No city layout plugin is installed (searched: %1)." ).arg( LayoutRegistry::instance().searchPaths().join( QLatin1String( ", " ) ) );
  }
  return LayoutMatch();
}

QgsRectangle projectExtentWgs84( ProjectFile &project )
{
  QgsRectangle extent;
  for ( const QString &table : { schema::kNeighborhoods, schema::kBoundaries } )
  {
    const QgsRectangle r = project.layerExtent( table );
    if ( r.isNull() )
      continue;
    if ( extent.isNull() )
      extent = r;
    else
      extent.combineExtentWith( r );
  }
  if ( extent.isNull() )
    return extent;
  try
  {
    QgsCoordinateTransform ct( project.crs(), QgsCoordinateReferenceSystem( QStringLiteral( "EPSG:4326" ) ), QgsProject::instance() );
    return ct.transformBoundingBox( extent );
  }
  catch ( QgsCsException & )
  {
    return QgsRectangle();
  }
}
} // namespace

ImportPreview Importer::preview( const QString &path, ImportKind kind, ProjectFile *project, const QString &mapping, int rows )
{
  ImportPreview p;
  if ( isPolygonKind( kind ) )
    return previewPolygons( path, rows );
  if ( isOgrSource( path ) )
    return previewOgrPoints( path, kind, project, mapping, rows );
  char delimiter = 0;
  ColumnMapping m;
  if ( !mapping.isEmpty() )
  {
    if ( !loadMapping( project, mapping, &m, &p.error ) )
      return p;
    delimiter = m.delimiter;
  }
  CsvReader reader;
  if ( !reader.open( path, delimiter ) )
  {
    p.error = reader.errorString();
    return p;
  }
  p.delimiter = reader.delimiter();
  if ( reader.next() != CsvReader::Status::Record )
  {
    p.error = QObject::tr( "The file has no header line." );
    return p;
  }
  p.header = reader.fields();
  while ( p.rows.size() < rows )
  {
    const CsvReader::Status s = reader.next();
    if ( s == CsvReader::Status::Record )
      p.rows << reader.fields();
    else if ( s == CsvReader::Status::Malformed )
      p.rows << QStringList { QString::fromUtf8( reader.rawRecord() ) };
    else
      break;
  }
  p.bestAnyKind = LayoutRegistry::instance().detectAnyKind( p.header );
  p.match = resolveLayout( kind, p.header, project, mapping, nullptr, &p.error );
  p.ok = p.match.isValid();
  return p;
}

bool Importer::writeImportLog( const ImportSummary &summary, const QString &sourceSha256Hex, const QString &startedAt )
{
  SqliteStatement log( mProject.database(), QStringLiteral( "INSERT INTO import_log(import_id, kind, layout, source_file, source_sha256, started_at, finished_at, rows_read, "
                                                            "imported, updated, unchanged, rejected, without_location, summary_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" ) );
  log.bindText( 1, summary.importId );
  log.bindText( 2, summary.kind );
  log.bindText( 3, summary.layoutId );
  log.bindText( 4, summary.sourceFile );
  log.bindText( 5, sourceSha256Hex );
  log.bindText( 6, startedAt );
  log.bindText( 7, mProject.formatDateTime( QDateTime::currentDateTime() ) );
  log.bindInt64( 8, summary.rowsRead );
  log.bindInt64( 9, summary.imported );
  log.bindInt64( 10, summary.updated );
  log.bindInt64( 11, summary.unchanged );
  log.bindInt64( 12, summary.rejected );
  log.bindInt64( 13, summary.withoutLocation );
  log.bindText( 14, QString::fromUtf8( QJsonDocument( summary.toJson() ).toJson( QJsonDocument::Compact ) ) );
  return log.exec();
}

ImportSummary Importer::runCsv( const ImportOptions &options, QgsFeedback *feedback )
{
  ImportSummary summary;
  summary.kind = kindName( options.kind );
  summary.sourceFile = sourceName( options );
  summary.importId = QUuid::createUuid().toString( QUuid::WithoutBraces );
  const QString startedAt = mProject.formatDateTime( QDateTime::currentDateTime() );

  // Layout.
  ColumnMapping mapping;
  char delimiter = 0;
  if ( !options.mapping.isEmpty() )
  {
    if ( !loadMapping( &mProject, options.mapping, &mapping, &summary.error ) )
      return summary;
    delimiter = mapping.delimiter;
  }
  CsvReader reader;
  if ( !reader.open( options.filePath, delimiter ) )
  {
    summary.error = reader.errorString();
    return summary;
  }
  CsvReader::Status headerStatus = reader.next();
  if ( headerStatus != CsvReader::Status::Record )
  {
    summary.error = headerStatus == CsvReader::Status::Error ? reader.errorString() : QObject::tr( "The file has no readable header line." );
    return summary;
  }
  const QStringList header = reader.fields();
  const LayoutMatch match = resolveLayout( options.kind, header, &mProject, options.mapping, nullptr, &summary.error );
  if ( !match.isValid() )
    return summary;
  for ( const QString &r : requiredFields( options.kind ) )
  {
    if ( !match.fields.contains( r ) )
    {
      summary.error = QObject::tr( "Layout %1 does not say which column holds \"%2\"." ).arg( match.layoutId, r );
      return summary;
    }
  }
  summary.layoutId = match.layoutId;
  summary.layoutTitle = match.title;
  summary.provider = match.providerId;

  // Parser set-up.
  RecordBuilder builder;
  builder.kind = options.kind;
  builder.match = match;
  builder.cols = columnsFor( options.kind );
  builder.headerCount = header.size();
  builder.source = summary.sourceFile.toUtf8();
  builder.system = match.options.value( option::System, QStringLiteral( "custom" ) ).toString().toUtf8();
  builder.fixedVacantKind = match.options.value( option::VacantKind ).toString().toUtf8();
  builder.order = match.options.value( option::DateOrder ).toString().compare( QLatin1String( "DMY" ), Qt::CaseInsensitive ) == 0 ? DateOrder::DayMonthYear : DateOrder::MonthDayYear;
  builder.formatter = std::make_unique<LocalTimeFormatter>( mProject.timeZone() );
  builder.srsId = mProject.srsId();
  const QgsCoordinateReferenceSystem sourceCrs( match.options.value( option::SourceCrs, QStringLiteral( "EPSG:4326" ) ).toString() );
  if ( !sourceCrs.isValid() )
  {
    summary.error = QObject::tr( "Unknown source CRS \"%1\" in the layout." ).arg( match.options.value( option::SourceCrs ).toString() );
    return summary;
  }
  builder.sourceGeographic = sourceCrs.isGeographic();
  builder.transform = QgsCoordinateTransform( sourceCrs, mProject.crs(), QgsProject::instance() );
  builder.box = match.extentWgs84;
  const QgsRectangle projectBox = projectExtentWgs84( mProject );
  if ( !projectBox.isNull() )
  {
    if ( builder.box.isNull() )
      builder.box = projectBox;
    else
      builder.box.combineExtentWith( projectBox );
  }
  if ( !builder.box.isNull() )
    builder.box.grow( 0.05 ); // ~5 km: points just over the city line are real
  builder.reader = &reader;

  SqliteDatabase &db = mProject.database();
  sqlite3 *h = db.handle();
  // While indexes grow: a 256 MiB page cache, and statement journals (every INSERT through the
  // GeoPackage R*Tree triggers opens one) in memory instead of a temporary file, which otherwise
  // costs several write() calls per row.
  const qint64 oldCacheSize = db.scalar( QStringLiteral( "PRAGMA cache_size" ) ).toLongLong();
  const qint64 oldTempStore = db.scalar( QStringLiteral( "PRAGMA temp_store" ) ).toLongLong();
  db.exec( QStringLiteral( "PRAGMA cache_size = -262144" ) );
  db.exec( QStringLiteral( "PRAGMA temp_store = MEMORY" ) );
  struct PragmaRestore
  {
      SqliteDatabase &db;
      qint64 cacheSize;
      qint64 tempStore;
      ~PragmaRestore()
      {
        db.exec( QStringLiteral( "PRAGMA cache_size = %1" ).arg( cacheSize ) );
        db.exec( QStringLiteral( "PRAGMA temp_store = %1" ).arg( tempStore ) );
      }
  } pragmaRestore { db, oldCacheSize, oldTempStore };
  SqliteTransaction tx( db );
  if ( !tx.isActive() )
  {
    summary.error = QObject::tr( "Cannot write to the project: %1" ).arg( db.errorString() );
    return summary;
  }
  // Blight mapping: seeded from the city's defaults once, then the project's (user-edited) table.
  if ( options.kind == ImportKind::ServiceRequests )
  {
    if ( CityLayoutProvider *provider = LayoutRegistry::instance().provider( match.providerId ) )
    {
      if ( !seedBlightMappingInTransaction( mProject, provider->defaultBlightMapping() ) )
      {
        summary.error = db.errorString();
        return summary;
      }
    }
    SqliteStatement st( db, QStringLiteral( "SELECT system, field, value, blight_class FROM blight_mapping" ) );
    while ( st.next() )
      builder.blight.insert( st.text( 0 ) + QChar( 0x1f ) + st.text( 1 ) + QChar( 0x1f ) + st.text( 2 ), st.text( 3 ) );
  }


  const KindColumns &cols = builder.cols;
  const QString table = cols.table;
  const int n = static_cast<int>( cols.names.size() );

  // Existing records: key -> fid, hash, in one pass.
  std::unordered_map<std::string, Entry> entries;
  {
    const QByteArray sql = QStringLiteral( "SELECT \"%1\", fid, row_hash FROM \"%2\"" ).arg( QString::fromUtf8( cols.names[0] ), table ).toUtf8();
    Stmt st( h, sql );
    if ( !st.ok() )
    {
      summary.error = st.error();
      return summary;
    }
    while ( sqlite3_step( *st ) == SQLITE_ROW )
    {
      const char *key = reinterpret_cast<const char *>( sqlite3_column_text( *st, 0 ) );
      if ( !key )
        continue;
      Entry e;
      e.fid = sqlite3_column_int64( *st, 1 );
      e.existed = true;
      const char *hash = reinterpret_cast<const char *>( sqlite3_column_text( *st, 2 ) );
      e.hadHash = hash != nullptr;
      e.stored = e.original = hash ? std::strtoull( hash, nullptr, 16 ) : 0;
      entries.emplace( std::string( key, sqlite3_column_bytes( *st, 0 ) ), std::move( e ) );
    }
  }

  // A first import of a big file into an empty table: secondary indexes are dropped and built
  // once at the end (a sort instead of a random B-tree insert per row). Both happen inside this
  // transaction, so a cancel or a crash still leaves the previous state, indexes included.
  QStringList deferredIndexes;
  if ( entries.empty() && QFileInfo( options.filePath ).size() > ( 16 << 20 ) )
  {
    QStringList tables { table };
    if ( options.kind == ImportKind::Crime && db.scalar( QStringLiteral( "SELECT COUNT(*) FROM restricted_person_involvements" ) ).toLongLong() == 0 )
      tables << schema::kPersonInvolvements;
    for ( const QString &t : tables )
    {
      SqliteStatement st( db, QStringLiteral( "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL" ) );
      st.bindText( 1, t );
      QStringList names;
      while ( st.next() )
      {
        names << st.text( 0 );
        deferredIndexes << st.text( 1 );
      }
      for ( const QString &name : std::as_const( names ) )
      {
        if ( !db.exec( QStringLiteral( "DROP INDEX \"%1\"" ).arg( name ) ) )
        {
          summary.error = db.errorString();
          return summary;
        }
      }
    }
  }

  // Statements.
  QByteArray insertSql = "INSERT INTO \"" + table.toUtf8() + "\"(geom";
  QByteArray updateSql = "UPDATE \"" + table.toUtf8() + "\" SET geom = ?1";
  QByteArray values = "?1";
  for ( int i = 0; i < n; ++i )
  {
    insertSql += ", \"" + cols.names[i] + "\"";
    values += ", ?" + QByteArray::number( i + 2 );
    updateSql += ", \"" + cols.names[i] + "\" = ?" + QByteArray::number( i + 2 );
  }
  insertSql += ", row_hash) VALUES (" + values + ", ?" + QByteArray::number( n + 2 ) + ")";
  updateSql += ", row_hash = ?" + QByteArray::number( n + 2 ) + " WHERE fid = ?" + QByteArray::number( n + 3 );
  Stmt insert( h, insertSql );
  Stmt update( h, updateSql );
  Stmt reject( h, "INSERT INTO import_rejects(import_id, source_file, line_no, raw_text, reason) VALUES (?, ?, ?, ?, ?)" );
  Stmt personInsert( h, "INSERT OR IGNORE INTO restricted_person_involvements(offense_key, report_no, invl_no, involvement, race, sex, age, row_hash) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)" );
  Stmt personSelect( h, "SELECT row_hash FROM restricted_person_involvements WHERE offense_key = ?" );
  Stmt personDelete( h, "DELETE FROM restricted_person_involvements WHERE offense_key = ? AND row_hash = ?" );
  for ( const Stmt *s : { &insert, &update, &reject, &personInsert, &personSelect, &personDelete } )
  {
    if ( !s->ok() )
    {
      summary.error = s->error();
      return summary;
    }
  }
  const QByteArray importId = summary.importId.toUtf8();
  const QByteArray sourceFile = summary.sourceFile.toUtf8();

  // Parser thread.
  BatchQueue queue( 16 );
  std::atomic<bool> stop { false };
  const int batchSize = std::max( 1, options.batchSize );
  std::thread parser( [&] {
    Batch batch;
    batch.records.reserve( batchSize );
    auto flush = [&]( bool last ) {
      builder.finish( batch.records );
      batch.bytes = reader.bytesConsumed();
      batch.last = last;
      const bool ok = queue.push( std::move( batch ) );
      batch = Batch();
      batch.records.reserve( batchSize );
      return ok;
    };
    for ( ;; )
    {
      if ( stop.load( std::memory_order_relaxed ) )
        return;
      const CsvReader::Status s = reader.next();
      if ( s == CsvReader::Status::End )
        break;
      if ( s == CsvReader::Status::Error )
      {
        batch.fatal = reader.errorString();
        break;
      }
      Record r;
      r.line = reader.lineNumber();
      if ( s == CsvReader::Status::Malformed )
      {
        r.rejectReason = reader.malformedReason().toUtf8();
        r.raw = reader.rawRecord();
      }
      else
      {
        if ( reader.wasLatin1() )
          ++batch.latin1;
        if ( reader.fieldCount() != builder.headerCount )
        {
          const bool atEnd = reader.bytesConsumed() >= reader.size();
          r.rejectReason = atEnd && reader.fieldCount() < builder.headerCount ? "truncated_record" : "wrong_field_count";
        }
        else
          builder.build( r );
        if ( r.isReject() )
          r.raw = reader.rawRecord();
      }
      batch.records.push_back( std::move( r ) );
      if ( static_cast<int>( batch.records.size() ) >= batchSize && !flush( false ) )
        return;
    }
    flush( true );
  } );
  auto stopParser = [&] {
    stop = true;
    queue.stop();
    if ( parser.joinable() )
      parser.join();
  };
  struct Joiner
  {
      std::function<void()> join;
      ~Joiner() { join(); }
  } joiner { stopParser };

  // Writer.
  std::vector<Entry *> touched;
  touched.reserve( entries.size() / 4 + 1024 );
  QString writeError;
  auto bindText = [&]( sqlite3_stmt *st, int index, Bytes b, bool isNull ) {
    if ( isNull )
      sqlite3_bind_null( st, index );
    else
      sqlite3_bind_text( st, index, b.data, b.size, SQLITE_STATIC );
  };
  auto bindRecord = [&]( sqlite3_stmt *st, const Record &r, quint64 hash, int domestic, QByteArray &hashText ) {
    if ( r.placed )
      sqlite3_bind_blob( st, 1, r.geom.constData(), r.geom.size(), SQLITE_STATIC );
    else
      sqlite3_bind_null( st, 1 );
    for ( int i = 0; i < n; ++i )
    {
      if ( i == cols.domestic )
      {
        if ( domestic < 0 )
          sqlite3_bind_null( st, i + 2 );
        else
          sqlite3_bind_int( st, i + 2, domestic );
      }
      else if ( cols.integer[i] && !r.isNull( i ) )
        sqlite3_bind_int( st, i + 2, r.get( i ).data[0] == '1' ? 1 : 0 );
      else
        bindText( st, i + 2, r.get( i ), r.isNull( i ) );
    }
    hashText = hashToHex( hash );
    sqlite3_bind_text( st, n + 2, hashText.constData(), hashText.size(), SQLITE_STATIC );
  };
  auto step = [&]( sqlite3_stmt *st ) {
    const int rc = sqlite3_step( st );
    sqlite3_reset( st );
    sqlite3_clear_bindings( st );
    if ( rc != SQLITE_DONE && rc != SQLITE_ROW )
    {
      writeError = QString::fromUtf8( sqlite3_errmsg( h ) );
      return false;
    }
    return true;
  };
  auto writeRecord = [&]( Entry &e, const Record &r, quint64 hash, int domestic ) {
    QByteArray hashText;
    if ( e.fid )
    {
      bindRecord( *update, r, hash, domestic, hashText );
      sqlite3_bind_int64( *update, n + 3, e.fid );
      if ( !step( *update ) )
        return false;
    }
    else
    {
      bindRecord( *insert, r, hash, domestic, hashText );
      if ( !step( *insert ) )
        return false;
      e.fid = sqlite3_last_insert_rowid( h );
    }
    e.stored = hash;
    return true;
  };
  auto touch = [&]( Entry &e, const Record &r ) {
    if ( e.touched )
      return false;
    e.touched = true;
    touched.push_back( &e );
    summary.locationFlags[QString::fromLatin1( r.flag )]++;
    if ( !r.placed )
      ++summary.withoutLocation;
    return true;
  };
  auto writeReject = [&]( const Record &r ) {
    ++summary.rejected;
    summary.rejectedByReason[QString::fromUtf8( r.rejectReason )]++;
    QByteArray raw = r.raw;
    if ( QString::fromUtf8( raw ).toUtf8() != raw )
      raw = QString::fromLatin1( raw ).toUtf8();
    sqlite3_stmt *st = *reject;
    sqlite3_bind_text( st, 1, importId.constData(), importId.size(), SQLITE_STATIC );
    sqlite3_bind_text( st, 2, sourceFile.constData(), sourceFile.size(), SQLITE_STATIC );
    sqlite3_bind_int64( st, 3, r.line );
    sqlite3_bind_text( st, 4, raw.constData(), raw.size(), SQLITE_TRANSIENT );
    sqlite3_bind_text( st, 5, r.rejectReason.constData(), r.rejectReason.size(), SQLITE_STATIC );
    return step( st );
  };

  // Crime: the person rows of one offense are consecutive in KCPD exports; they are merged
  // into one offense (group) before writing. A key seen again later in the file merges into
  // the record already written.
  std::vector<Record> group;
  auto flushGroup = [&]() -> bool {
    if ( group.empty() )
      return true;
    const Record &first = group.front();
    const Bytes keyBytes = first.get( 0 );
    Entry &e = entries[std::string( keyBytes.data, keyBytes.size )];
    if ( !touch( e, first ) )
      ++summary.merged; // the key was already seen in this file
    summary.merged += static_cast<qint64>( group.size() ) - 1;
    int domestic = e.domestic;
    struct Person
    {
        quint64 hash;
        const Record *record;
        QByteArray ordinal;
    };
    std::vector<Person> persons;
    QHash<quint64, int> ordinals;
    for ( const Record &r : group )
    {
      domestic = flagOrNull( domestic, r.domestic );
      QByteArray ordinal;
      if ( r.isNull( n + PInvlNo ) )
      {
        // Layouts without Invl_No (2020): number a person by its order among identical rows.
        ContentHasher id;
        for ( int p = PInvolvement; p < PCount; ++p )
          id.add( r.bytes( n + p ) );
        ordinal = "#" + QByteArray::number( ++ordinals[id.value()] );
      }
      const quint64 ph = personHash( r, n, ordinal );
      if ( std::find( e.persons.begin(), e.persons.end(), ph ) == e.persons.end() )
      {
        e.persons.push_back( ph );
        persons.push_back( { ph, &r, ordinal } );
      }
    }
    e.domestic = domestic;
    quint64 personsXor = 0;
    for ( quint64 p : e.persons )
      personsXor ^= p * 0x9E3779B97F4A7C15ULL;
    ContentHasher total;
    total.add( reinterpret_cast<const char *>( &first.hash ), 8 );
    total.add( reinterpret_cast<const char *>( &domestic ), sizeof domestic );
    total.add( reinterpret_cast<const char *>( &personsXor ), 8 );
    const size_t personCount = e.persons.size();
    total.add( reinterpret_cast<const char *>( &personCount ), sizeof personCount );
    const quint64 hash = total.value();
    if ( !( e.fid && e.hadHash && hash == e.stored ) )
    {
      if ( e.existed && !e.presentLoaded )
      {
        sqlite3_bind_text( *personSelect, 1, keyBytes.data, keyBytes.size, SQLITE_STATIC );
        while ( sqlite3_step( *personSelect ) == SQLITE_ROW )
        {
          const char *t = reinterpret_cast<const char *>( sqlite3_column_text( *personSelect, 0 ) );
          e.present.push_back( t ? std::strtoull( t, nullptr, 16 ) : 0 );
        }
        sqlite3_reset( *personSelect );
        e.presentLoaded = true;
      }
      if ( !writeRecord( e, first, hash, domestic ) )
        return false;
      e.hadHash = true;
      // Persons of this group not yet in the database.
      for ( const Person &person : persons )
      {
        const quint64 ph = person.hash;
        const Record *r = person.record;
        if ( std::find( e.present.begin(), e.present.end(), ph ) != e.present.end() )
          continue;
        sqlite3_stmt *st = *personInsert;
        const QByteArray hashText = hashToHex( ph );
        bindText( st, 1, keyBytes, false );
        bindText( st, 2, r->get( 1 ), false );
        if ( r->isNull( n + PInvlNo ) )
          sqlite3_bind_text( st, 3, person.ordinal.constData(), person.ordinal.size(), SQLITE_STATIC );
        else
          bindText( st, 3, r->get( n + PInvlNo ), false );
        for ( int p = PInvolvement; p < PCount; ++p )
          bindText( st, 3 + p, r->get( n + p ), r->isNull( n + p ) );
        sqlite3_bind_text( st, 8, hashText.constData(), hashText.size(), SQLITE_STATIC );
        if ( !step( st ) )
          return false;
        e.present.push_back( ph );
        ++summary.personRows;
      }
    }
    group.clear();
    return true;
  };

  bool canceled = false;
  for ( bool done = false; !done; )
  {
    Batch batch = queue.pop();
    done = batch.last || !batch.fatal.isEmpty();
    if ( !batch.fatal.isEmpty() )
    {
      writeError = batch.fatal;
      break;
    }
    summary.latin1Rows += batch.latin1;
    for ( Record &r : batch.records )
    {
      ++summary.rowsRead;
      if ( r.isReject() )
      {
        if ( !writeReject( r ) )
          break;
        continue;
      }
      if ( options.kind == ImportKind::Crime )
      {
        if ( !group.empty() )
        {
          const Bytes a = group.front().get( 0 ), b = r.get( 0 );
          if ( a.size != b.size || std::memcmp( a.data, b.data, a.size ) != 0 )
          {
            if ( !flushGroup() )
              break;
          }
        }
        group.push_back( std::move( r ) );
        continue;
      }
      const Bytes keyBytes = r.get( 0 );
      Entry &e = entries[std::string( keyBytes.data, keyBytes.size )];
      if ( !touch( e, r ) )
        ++summary.merged; // a repeated key: the later row wins
      if ( e.fid && e.hadHash && e.stored == r.hash )
        continue;
      if ( !writeRecord( e, r, r.hash, -1 ) )
        break;
      e.hadHash = true;
    }
    if ( !writeError.isEmpty() )
      break;
    if ( feedback )
    {
      if ( reader.size() > 0 )
        feedback->setProgress( 99.0 * batch.bytes / reader.size() );
      if ( feedback->isCanceled() )
      {
        canceled = true;
        break;
      }
    }
  }
  if ( writeError.isEmpty() && !canceled && !flushGroup() && writeError.isEmpty() )
    writeError = QString::fromUtf8( sqlite3_errmsg( h ) );
  stopParser();
  if ( canceled )
  {
    summary.canceled = true;
    summary.error = QObject::tr( "Canceled." );
    return summary; // the transaction rolls back
  }
  if ( !writeError.isEmpty() )
  {
    summary.error = QObject::tr( "Import failed, the project is unchanged: %1" ).arg( writeError );
    return summary;
  }

  // Persons that disappeared from changed offenses, and the counts.
  for ( Entry *e : touched )
  {
    if ( !e->existed )
      ++summary.imported;
    else if ( e->hadHash && e->stored == e->original )
      ++summary.unchanged;
    else
      ++summary.updated;
  }
  if ( options.kind == ImportKind::Crime )
  {
    for ( auto &[key, e] : entries )
    {
      if ( !e.touched || !e.presentLoaded )
        continue;
      for ( quint64 p : e.present )
      {
        if ( std::find( e.persons.begin(), e.persons.end(), p ) != e.persons.end() )
          continue;
        const QByteArray hashText = hashToHex( p );
        sqlite3_bind_text( *personDelete, 1, key.data(), static_cast<int>( key.size() ), SQLITE_STATIC );
        sqlite3_bind_text( *personDelete, 2, hashText.constData(), hashText.size(), SQLITE_STATIC );
        if ( !step( *personDelete ) )
        {
          summary.error = writeError;
          return summary;
        }
      }
    }
  }
  if ( summary.rowsRead == 0 )
    summary.notes << QObject::tr( "The file has a header but no data rows." );
  if ( summary.latin1Rows )
    summary.notes << QObject::tr( "%1 rows were not valid UTF-8 and were read as Latin-1." ).arg( summary.latin1Rows );

  for ( const QString &sql : std::as_const( deferredIndexes ) )
  {
    if ( !db.exec( sql ) )
    {
      summary.ok = false;
      summary.error = QObject::tr( "Could not build an index, the project is unchanged: %1" ).arg( db.errorString() );
      return summary;
    }
  }

  // Import log, contents, commit.
  summary.ok = true;
  if ( !writeImportLog( summary, QString::fromLatin1( reader.sha256().toHex() ), startedAt ) )
  {
    summary.ok = false;
    summary.error = db.errorString();
    return summary;
  }
  if ( !options.mapping.isEmpty() && QFileInfo( options.mapping ).isFile() && !storeMappingInTransaction( mProject, mapping ) )
  {
    summary.ok = false;
    summary.error = db.errorString();
    return summary;
  }
  if ( !mProject.refreshContents( table ) || !mProject.refreshContents( schema::kImportLog ) || !mProject.refreshContents( schema::kImportRejects ) || !tx.commit() )
  {
    summary.ok = false;
    summary.error = QObject::tr( "Could not commit the import: %1" ).arg( db.errorString() );
    return summary;
  }
  if ( feedback )
    feedback->setProgress( 100 );
  return summary;
}

} // namespace statdesk::ingest
