#include "Importer.h"
#include "ingest/OgrSource.h"
#include "CsvReader.h"
#include "LayoutRegistry.h"
#include "Values.h"
#include "common/GpkgGeometry.h"
#include "common/GpkgRtree.h"
#include "common/LargeArray.h"
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

#ifdef Q_OS_LINUX
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
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

//! What the importer noticed about a record's location (the location_flag column).
enum class LocationFlag : quint8
{
  Missing,
  Zero,
  Ok,
  Swapped,
  OutsideExtent,
  TransformFailed,
};
constexpr int kLocationFlagCount = 6;

const char *locationFlagName( LocationFlag flag )
{
  static const char *const names[kLocationFlagCount] = { "missing", "zero", "ok", "swapped", "outside_extent", "transform_failed" };
  return names[static_cast<int>( flag )];
}

inline bool isAsciiSpace( char c )
{
  return c == ' ' || ( c >= '\t' && c <= '\r' );
}

/**
 * A row's values as spans of one buffer. Records are recycled between batches (reset() keeps the
 * buffers' capacity), so that building a row allocates nothing once the pipeline runs.
 */
struct Record
{
    qint64 line = 0;
    std::string buf;
    std::vector<std::pair<int, int>> spans; //!< (offset, size); size -1 = NULL
    bool hasCoords = false;
    double lon = 0, lat = 0;
    bool placed = false;
    double x = 0, y = 0;
    LocationFlag flag = LocationFlag::Missing;
    char geom[kGpkgPointSize];
    int domestic = -1;
    quint64 hash = 0;
    quint64 keyHash = 0; //!< of field 0, the record key
    quint64 personHash = 0; //!< crime rows with an Invl_No: the person's hash (0 = computed by the writer)
    QByteArray rejectReason;
    QByteArray raw;

    void reset( int n )
    {
      line = 0;
      buf.clear();
      spans.assign( n, { 0, -1 } );
      hasCoords = placed = false;
      lon = lat = x = y = 0;
      flag = LocationFlag::Missing;
      domestic = -1;
      hash = keyHash = personHash = 0;
      if ( !rejectReason.isNull() )
        rejectReason = QByteArray();
      if ( !raw.isNull() )
        raw = QByteArray();
    }
    void set( int i, const char *d, int n )
    {
      spans[i] = { static_cast<int>( buf.size() ), n };
      buf.append( d, n );
    }
    void set( int i, Bytes b ) { set( i, b.data, b.size ); }
    void set( int i, const QByteArray &b )
    {
      if ( b.isNull() )
        setNull( i );
      else
        set( i, b.constData(), b.size() );
    }
    void setNull( int i ) { spans[i] = { 0, -1 }; }
    //! Field \a i is what gets appended to buf until end( \a i ).
    void begin( int i ) { spans[i] = { static_cast<int>( buf.size() ), 0 }; }
    void end( int i ) { spans[i].second = static_cast<int>( buf.size() ) - spans[i].first; }
    //! Blank -> NULL.
    void setText( int i, Bytes b )
    {
      b = trimmed( b );
      if ( b.size > 0 )
        set( i, b );
      else
        setNull( i );
    }
    /**
     * QByteArray::simplified() of \a b without the copies: an empty cell is NULL, a cell of
     * blanks only is "" (as the QByteArray of the simplified cell would be).
     */
    void setSimplified( int i, Bytes b )
    {
      if ( b.size == 0 )
      {
        setNull( i );
        return;
      }
      begin( i );
      const char *p = b.data;
      const char *e = b.data + b.size;
      bool gap = false;
      for ( ;; )
      {
        while ( p < e && isAsciiSpace( *p ) )
          ++p;
        if ( p == e )
          break;
        if ( gap )
          buf.push_back( ' ' );
        const char *word = p;
        while ( p < e && !isAsciiSpace( *p ) )
          ++p;
        buf.append( word, p - word );
        gap = true;
      }
      end( i );
    }
    void setInt( int i, int v ) // -1 = NULL
    {
      if ( v < 0 )
        setNull( i );
      else
        set( i, v ? "1" : "0", 1 );
    }
    void setDateTime( int i, LocalTimeFormatter &formatter, const DateTimeValue &value )
    {
      begin( i );
      if ( formatter.appendTo( value, buf ) )
        end( i );
      else
        setNull( i );
    }
    bool isNull( int i ) const { return spans[i].second < 0; }
    Bytes get( int i ) const { return spans[i].second < 0 ? Bytes() : Bytes { buf.data() + spans[i].first, spans[i].second }; }
    QByteArray bytes( int i ) const { return spans[i].second < 0 ? QByteArray() : QByteArray( buf.data() + spans[i].first, spans[i].second ); }
    bool isReject() const { return !rejectReason.isEmpty(); }
};

struct Batch
{
    std::vector<Record> records; //!< the first count are this batch's rows, the others wait for reuse
    size_t count = 0;
    qint64 bytes = 0;
    qint64 latin1 = 0;
    bool last = false;
    QString fatal;

    Record &append()
    {
      if ( count == records.size() )
        records.emplace_back().buf.reserve( 320 ); // a crime row's values in one go, instead of five regrowths
      return records[count++];
    }
};

//! Bounded hand-over between two stages of the import pipeline, and the way back for used batches.
class BatchQueue
{
  public:
    explicit BatchQueue( size_t capacity )
      : mCapacity( capacity ) {}
    //! Waits for room; false once stopped.
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
    //! Waits for a batch; nothing once stopped.
    std::optional<Batch> pop()
    {
      std::unique_lock<std::mutex> lock( mMutex );
      mNotEmpty.wait( lock, [&] { return !mQueue.empty() || mStop; } );
      if ( mQueue.empty() )
        return std::nullopt;
      Batch b = std::move( mQueue.front() );
      mQueue.pop_front();
      mNotFull.notify_one();
      return b;
    }
    void setCapacity( size_t capacity )
    {
      std::lock_guard<std::mutex> lock( mMutex );
      mCapacity = capacity;
      mNotFull.notify_all();
    }
    //! A used batch (its records keep their buffers) or a new one.
    Batch fresh()
    {
      std::lock_guard<std::mutex> lock( mMutex );
      if ( mFree.empty() )
        return Batch();
      Batch b = std::move( mFree.back() );
      mFree.pop_back();
      return b;
    }
    //! Hands \a b back for reuse.
    void recycle( Batch &&b )
    {
      b.count = 0;
      b.bytes = b.latin1 = 0;
      b.last = false;
      b.fatal.clear();
      std::lock_guard<std::mutex> lock( mMutex );
      mFree.push_back( std::move( b ) );
    }
    void stop()
    {
      std::lock_guard<std::mutex> lock( mMutex );
      mStop = true;
      mNotFull.notify_all();
      mNotEmpty.notify_all();
    }

  private:
    std::mutex mMutex;
    std::condition_variable mNotEmpty, mNotFull;
    std::deque<Batch> mQueue;
    std::vector<Batch> mFree;
    size_t mCapacity;
    bool mStop = false;
};

//! Hash of a record key (EntryMap).
quint64 keyHash( Bytes key )
{
  ContentHasher h;
  h.add( key.data, key.size );
  return h.value();
}

//! Hash of a person row of an offense (\a ordinal stands in for a missing Invl_No).
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

// ---------------------------------------------------------------------------------------------
// Turning source rows into records (parser thread).

//! The semantic fields (ingest::field) the builder reads, resolved to columns once per file.
enum class Src
{
  Address,
  Zip,
  Neighborhood,
  Location,
  Latitude,
  Longitude,
  Status,
  ReportNo,
  ReportedDate,
  ReportedTime,
  FromDate,
  FromTime,
  Offense,
  Ibrs,
  Description,
  Beat,
  Area,
  DvFlag,
  FirearmFlag,
  InvlNo,
  Involvement,
  Race,
  Sex,
  Age,
  CaseId,
  RequestType,
  Category,
  Type,
  Detail,
  CreatedDate,
  CreatedTime,
  ClosedDate,
  LastUpdated,
  CouncilDistrict,
  CaseNumber,
  CaseOpened,
  ParcelId,
  Condition,
  ListedAt,
  ViolationCode,
  VacantKind,
  None, //!< no column (a date without a time column)
};
constexpr int kSrcCount = static_cast<int>( Src::None );

const QString &srcName( Src f )
{
  static const QString *const names[kSrcCount] = {
      &field::Address,
      &field::Zip,
      &field::Neighborhood,
      &field::Location,
      &field::Latitude,
      &field::Longitude,
      &field::Status,
      &field::ReportNo,
      &field::ReportedDate,
      &field::ReportedTime,
      &field::FromDate,
      &field::FromTime,
      &field::Offense,
      &field::Ibrs,
      &field::Description,
      &field::Beat,
      &field::Area,
      &field::DvFlag,
      &field::FirearmFlag,
      &field::InvlNo,
      &field::Involvement,
      &field::Race,
      &field::Sex,
      &field::Age,
      &field::CaseId,
      &field::RequestType,
      &field::Category,
      &field::Type,
      &field::Detail,
      &field::CreatedDate,
      &field::CreatedTime,
      &field::ClosedDate,
      &field::LastUpdated,
      &field::CouncilDistrict,
      &field::CaseNumber,
      &field::CaseOpened,
      &field::ParcelId,
      &field::Condition,
      &field::ListedAt,
      &field::ViolationCode,
      &field::VacantKind,
  };
  return *names[static_cast<int>( f )];
}

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

    //! Resolves the layout's fields to columns (after match is set).
    void resolveColumns()
    {
      for ( int f = 0; f < kSrcCount; ++f )
        mColumns[f] = match.fields.value( srcName( static_cast<Src>( f ) ), -1 );
    }
    //! Fields of a record: the table's columns, then (crime) the person fields.
    int recordFields() const { return static_cast<int>( cols.names.size() ) + ( kind == ImportKind::Crime ? PCount : 0 ); }

    bool has( Src f ) const { return f != Src::None && mColumns[static_cast<int>( f )] >= 0; }
    Bytes value( Src f ) const
    {
      const int c = f == Src::None ? -1 : mColumns[static_cast<int>( f )];
      if ( c < 0 || c >= reader->fieldCount() )
        return Bytes();
      return Bytes { reader->fieldData( c ), reader->fieldSize( c ) };
    }

    //! Date (+ time column): false with \a reason when a non-blank cell does not parse.
    bool dateTime( Src dateField, Src timeField, DateTimeValue &out, QByteArray &reason ) const
    {
      out = DateTimeValue();
      const Bytes d = trimmed( value( dateField ) );
      if ( d.isEmpty() )
        return true;
      out = cachedDateTime( d );
      if ( !out.isValid() )
      {
        reason = "bad_date";
        return false;
      }
      if ( out.seconds < 0 && timeField != Src::None )
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

    //! parseDateTime() of \a text, remembering the last few texts: the rows of one report repeat their dates.
    DateTimeValue cachedDateTime( Bytes text ) const
    {
      for ( const DateCache &c : mDateCache )
      {
        if ( c.size == text.size && std::memcmp( c.text, text.data, text.size ) == 0 )
          return c.value;
      }
      const DateTimeValue value = parseDateTime( text, order );
      if ( text.size <= static_cast<int>( sizeof( DateCache::text ) ) )
      {
        DateCache &c = mDateCache[mNextDateCache++ % std::size( mDateCache )];
        std::memcpy( c.text, text.data, text.size );
        c.size = text.size;
        c.value = value;
      }
      return value;
    }

    void readLocation( Record &r ) const
    {
      double lat = 0, lon = 0;
      const Bytes latText = trimmed( value( Src::Latitude ) );
      const Bytes lonText = trimmed( value( Src::Longitude ) );
      if ( !latText.isEmpty() && !lonText.isEmpty() && parseDouble( latText, lat ) && parseDouble( lonText, lon ) && !( lat == 0 && lon == 0 && has( Src::Location ) && parseLocationText( value( Src::Location ), lon, lat ) ) )
      {
        r.hasCoords = true;
      }
      else if ( parseLocationText( value( Src::Location ), lon, lat ) )
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

    //! Fills \a r (reset for recordFields()) from the reader's current row.
    bool build( Record &r ) const
    {
      r.buf.reserve( 256 );
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
      const Bytes reportNo = trimmed( value( Src::ReportNo ) );
      const Bytes ibrsCell = trimmed( value( Src::Ibrs ) );
      if ( reportNo.isEmpty() || ibrsCell.isEmpty() )
      {
        r.rejectReason = "missing_key";
        return false;
      }
      // Upper case as QByteArray::toUpper() would (ASCII codes in place; anything else through Qt).
      char ibrsAscii[16];
      QByteArray ibrsOther;
      Bytes ibrs;
      bool ascii = ibrsCell.size <= static_cast<int>( sizeof ibrsAscii );
      for ( int i = 0; ascii && i < ibrsCell.size; ++i )
      {
        const char c = ibrsCell.data[i];
        ascii = static_cast<unsigned char>( c ) < 0x80;
        ibrsAscii[i] = c >= 'a' && c <= 'z' ? static_cast<char>( c - 32 ) : c;
      }
      if ( ascii )
        ibrs = Bytes { ibrsAscii, ibrsCell.size };
      else
      {
        ibrsOther = ibrsCell.toByteArray().toUpper();
        ibrs = Bytes { ibrsOther.constData(), static_cast<int>( ibrsOther.size() ) };
      }
      DateTimeValue reported, from;
      if ( !dateTime( Src::ReportedDate, Src::ReportedTime, reported, r.rejectReason ) || !dateTime( Src::FromDate, Src::FromTime, from, r.rejectReason ) )
        return false;
      const DateTimeValue occurred = from.isValid() ? from : reported;
      const int firearm = parseFlag( value( Src::FirearmFlag ) );
      const int n = static_cast<int>( cols.names.size() );
      r.begin( 0 );
      r.buf.append( reportNo.data, reportNo.size );
      r.buf.push_back( '|' );
      r.buf.append( ibrs.data, ibrs.size );
      r.end( 0 );
      r.set( 1, reportNo );
      r.set( 2, ibrs );
      r.setText( 3, value( Src::Offense ) );
      r.setText( 4, value( Src::Description ) );
      const char *category = ibrsCategoryName( ibrs );
      r.set( 5, category, static_cast<int>( std::strlen( category ) ) );
      r.setInt( 6, isViolentIbrs( ibrs ) ? 1 : 0 );
      r.setInt( 7, firearm );
      r.domestic = parseFlag( value( Src::DvFlag ) );
      r.setInt( 9, isShootingIbrs( ibrs ) && firearm == 1 ? 1 : 0 );
      r.setDateTime( 10, *formatter, occurred );
      r.setDateTime( 11, *formatter, reported );
      r.setSimplified( 12, value( Src::Address ) );
      if ( r.get( 12 ).isEmpty() )
        r.setSimplified( 12, locationAddress( value( Src::Location ) ) );
      r.setText( 13, value( Src::Beat ) );
      r.setText( 14, value( Src::Area ) );
      r.setText( 15, value( Src::Zip ) );
      r.setText( n + PInvlNo, value( Src::InvlNo ) );
      r.setText( n + PInvolvement, value( Src::Involvement ) );
      r.setText( n + PRace, value( Src::Race ) );
      r.setText( n + PSex, value( Src::Sex ) );
      r.setText( n + PAge, value( Src::Age ) );
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
      const Bytes caseId = trimmed( value( Src::CaseId ) );
      if ( caseId.isEmpty() )
      {
        r.rejectReason = "missing_key";
        return false;
      }
      DateTimeValue created, closed, updated;
      if ( !dateTime( Src::CreatedDate, Src::CreatedTime, created, r.rejectReason ) || !dateTime( Src::ClosedDate, Src::None, closed, r.rejectReason )
           || !dateTime( Src::LastUpdated, Src::None, updated, r.rejectReason ) )
        return false;
      const QByteArray statusRaw = trimmed( value( Src::Status ) ).toByteArray();
      const QByteArray status = normaliseStatus( statusRaw, closed.isValid() );
      if ( !closed.isValid() && status == "closed" && updated.isValid() )
        closed = updated; // the current system has no closing date: last update of a closed request
      const QByteArray requestType = simplified( value( Src::RequestType ) );
      const QByteArray category = simplified( value( Src::Category ) );
      const QByteArray type = simplified( value( Src::Type ) );
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
      QByteArray address = simplified( value( Src::Address ) );
      QByteArray zip = trimmed( value( Src::Zip ) ).toByteArray();
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
      r.setText( 5, value( Src::Detail ) );
      r.set( 6, cls );
      r.set( 7, status );
      r.set( 8, statusRaw.isEmpty() ? QByteArray() : statusRaw );
      r.set( 9, formatter->format( created ) );
      r.set( 10, formatter->format( closed ) );
      r.set( 11, address );
      r.set( 12, zip.isEmpty() ? QByteArray() : zip );
      r.setText( 13, value( Src::Neighborhood ) );
      r.setText( 14, value( Src::CouncilDistrict ) );
      readLocation( r );
      return true;
    }

    bool buildVacant( Record &r ) const
    {
      const Bytes parcel = trimmed( value( Src::ParcelId ) );
      if ( parcel.isEmpty() )
      {
        r.rejectReason = "missing_key";
        return false;
      }
      const QByteArray violation = trimmed( value( Src::ViolationCode ) ).toByteArray().toUpper();
      const QByteArray condition = simplified( value( Src::Condition ) );
      QByteArray kindValue = fixedVacantKind;
      if ( kindValue.isEmpty() && has( Src::ViolationCode ) )
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
      if ( kindValue.isEmpty() && has( Src::VacantKind ) )
        kindValue = trimmed( value( Src::VacantKind ) ).toByteArray().toLower().replace( ' ', '_' );
      if ( kindValue.isEmpty() )
      {
        const QByteArray c = condition.toLower();
        if ( c.contains( "structure" ) || c.contains( "house" ) || c.contains( "building" ) )
          kindValue = "vacant_structure";
        else if ( c.contains( "lot" ) || c.contains( "land" ) )
          kindValue = "vacant_lot";
      }
      QByteArray address = simplified( value( Src::Address ) );
      if ( address.isEmpty() )
        address = simplified( locationAddress( value( Src::Location ) ) );
      DateTimeValue listed;
      if ( !dateTime( Src::ListedAt, Src::None, listed, r.rejectReason ) )
        return false;
      QByteArray status = simplified( value( Src::Status ) );
      if ( status.isEmpty() && !violation.isEmpty() )
        status = violation;
      r.set( 0, parcel );
      r.set( 1, kindValue.isEmpty() ? QByteArray() : kindValue );
      r.set( 2, address );
      r.set( 3, condition );
      r.set( 4, status );
      r.setText( 5, value( Src::Neighborhood ) );
      r.set( 6, LocalTimeFormatter::formatDate( listed.jd ) );
      readLocation( r );
      return true;
    }

    bool buildDangerous( Record &r ) const
    {
      const Bytes caseNumber = trimmed( value( Src::CaseNumber ) );
      if ( caseNumber.isEmpty() )
      {
        r.rejectReason = "missing_key";
        return false;
      }
      DateTimeValue opened;
      if ( !dateTime( Src::CaseOpened, Src::None, opened, r.rejectReason ) )
        return false;
      QByteArray address = simplified( value( Src::Address ) );
      if ( address.isEmpty() )
        address = simplified( locationAddress( value( Src::Location ) ) );
      r.set( 0, caseNumber );
      r.set( 1, address );
      r.set( 2, simplified( value( Src::Status ) ) );
      r.set( 3, LocalTimeFormatter::formatDate( opened.jd ) );
      r.setText( 4, value( Src::Neighborhood ) );
      readLocation( r );
      return true;
    }

    //! Location checks, reprojection, geometry blobs and content hashes of a batch.
    void finish( Batch &batch ) const
    {
      std::vector<double> xs, ys;
      std::vector<Record *> placed;
      xs.reserve( batch.count );
      ys.reserve( batch.count );
      for ( size_t k = 0; k < batch.count; ++k )
      {
        Record &r = batch.records[k];
        if ( r.isReject() )
          continue;
        if ( !r.hasCoords )
          r.flag = LocationFlag::Missing;
        else if ( r.lon == 0 || r.lat == 0 )
          r.flag = LocationFlag::Zero;
        else if ( !sourceGeographic )
          r.flag = LocationFlag::Ok;
        else if ( !box.isNull() )
        {
          if ( box.contains( QgsPointXY( r.lon, r.lat ) ) )
            r.flag = LocationFlag::Ok;
          else if ( box.contains( QgsPointXY( r.lat, r.lon ) ) )
          {
            std::swap( r.lon, r.lat );
            r.flag = LocationFlag::Swapped;
          }
          else
            r.flag = LocationFlag::OutsideExtent;
        }
        else if ( std::fabs( r.lat ) <= 90 && std::fabs( r.lon ) <= 180 )
          r.flag = LocationFlag::Ok;
        else if ( std::fabs( r.lon ) <= 90 && std::fabs( r.lat ) <= 180 )
        {
          std::swap( r.lon, r.lat );
          r.flag = LocationFlag::Swapped;
        }
        else
          r.flag = LocationFlag::OutsideExtent;
        if ( r.flag == LocationFlag::Ok || r.flag == LocationFlag::Swapped )
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
            writeGpkgPoint( x, y, srsId, r.geom );
          }
          else
            r.flag = LocationFlag::TransformFailed;
        }
      }
      const int n = static_cast<int>( cols.names.size() );
      for ( size_t k = 0; k < batch.count; ++k )
      {
        Record &r = batch.records[k];
        if ( r.isReject() )
          continue;
        const char *flag = locationFlagName( r.flag );
        r.set( cols.flag, flag, static_cast<int>( strlen( flag ) ) );
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
        const Bytes key = r.get( 0 );
        r.keyHash = keyHash( key );
        if ( kind == ImportKind::Crime && !r.isNull( n + PInvlNo ) )
          r.personHash = personHash( r, n, QByteArray() );
      }
    }

  private:
    int mColumns[kSrcCount];
    struct DateCache
    {
        char text[32];
        int size = -1;
        DateTimeValue value;
    };
    // Used by build() only, i.e. by the reader thread.
    mutable DateCache mDateCache[4];
    mutable unsigned mNextDateCache = 0;
};

// ---------------------------------------------------------------------------------------------
// The writer (calling thread).

struct Entry
{
    qint64 fid = 0;
    quint64 stored = 0; //!< hash in the database now
    quint64 original = 0; //!< hash before this import
    quint32 keyOffset = 0; //!< the key: EntryMap's key bytes [offset, offset + size)
    quint32 keySize = 0;
    quint32 personFirst = 0; //!< person hashes seen in this import (crime): PersonHashes [first, first + count)
    quint32 personCount = 0;
    qint32 present = -1; //!< person hashes in the database (crime, loaded on demand): index into a list of them
    qint8 domestic = -1;
    bool existed = false;
    bool hadHash = false;
    bool touched = false;
};

/**
 * Record key -> Entry for millions of keys, in the order they were added (the table's records,
 * then the file's new keys): entries in blocks that never move (stable addresses), keys in one
 * byte array, both in huge pages where Linux has them (one page fault per 2 MiB while they fill).
 *
 * Lookups first try the entry after the one found last: a re-imported file comes in the order
 * its records were stored, so an unchanged file needs no hashing at all, and the hash index (open
 * addressing on (hash tag, entry), in huge pages where Linux has them: its probes are random
 * accesses) is only built the first time a key is not where the order says.
 */
class EntryMap
{
  public:
    EntryMap() = default;
    ~EntryMap() { releaseSlots(); }
    EntryMap( const EntryMap & ) = delete;
    EntryMap &operator=( const EntryMap & ) = delete;

    bool empty() const { return mCount == 0; }
    size_t size() const { return mCount; }
    Entry &entry( size_t k ) { return mBlocks[k >> kBlockBits][k & ( kBlock - 1 )]; }
    //! Room for \a count keys without growing.
    void reserve( size_t count )
    {
      mReserve = count;
      mKeys.reserve( count * 16 );
      adviseHugePages( mKeys );
    }
    Bytes key( const Entry &e ) const { return Bytes { mKeys.data() + e.keyOffset, static_cast<int>( e.keySize ) }; }
    //! Appends the entry of a key known to be new (the table's own records, which are unique).
    Entry &append( Bytes key )
    {
      Entry &e = newEntry( key );
      if ( mSlotCount )
        insertSlot( mix( keyHash( key ) ), mCount - 1 );
      return e;
    }
    //! The entry of \a key (FNV hash \a hash), created when new.
    Entry &operator()( Bytes key, quint64 hash )
    {
      if ( mNext < mCount && matches( entry( mNext ), key ) )
        return entry( mNext++ );
      if ( !mSlotCount )
        buildSlots();
      hash = mix( hash );
      const size_t mask = mSlotCount - 1;
      const quint32 tag = static_cast<quint32>( hash >> 32 );
      for ( size_t i = static_cast<size_t>( hash ) & mask;; i = ( i + 1 ) & mask )
      {
        const Slot slot = mSlots[i];
        if ( slot.index == 0 )
          break;
        if ( slot.tag == tag && matches( entry( slot.index - 1 ), key ) )
        {
          mNext = slot.index;
          return entry( slot.index - 1 );
        }
      }
      Entry &e = newEntry( key );
      if ( ( mCount + 1 ) * 2 > mSlotCount )
        buildSlots();
      else
        insertSlot( hash, mCount - 1 );
      mNext = mCount;
      return e;
    }

  private:
    static constexpr size_t kBlockBits = 16;
    static constexpr size_t kBlock = size_t( 1 ) << kBlockBits;

    struct Slot
    {
        quint32 tag = 0;
        quint32 index = 0; //!< 1-based entry number; 0 = free
    };
    //! FNV-1a's low bits only mix with the low bits of the input: spread all bits over all (MurmurHash3's finaliser).
    static quint64 mix( quint64 h )
    {
      h ^= h >> 33;
      h *= 0xff51afd7ed558ccdULL;
      h ^= h >> 33;
      h *= 0xc4ceb9fe1a85ec53ULL;
      h ^= h >> 33;
      return h;
    }
    bool matches( const Entry &e, Bytes key ) const
    {
      return static_cast<int>( e.keySize ) == key.size && std::memcmp( mKeys.data() + e.keyOffset, key.data, key.size ) == 0;
    }
    Entry &newEntry( Bytes key )
    {
      if ( mCount == mBlocks.size() * kBlock )
      {
        std::vector<Entry> &block = mBlocks.emplace_back(); // moving the blocks keeps their entries in place
        block.reserve( kBlock );
        adviseHugePages( block );
      }
      Entry &e = mBlocks.back().emplace_back();
      ++mCount;
      e.keyOffset = static_cast<quint32>( mKeys.size() );
      e.keySize = static_cast<quint32>( key.size );
      mKeys.insert( mKeys.end(), key.data, key.data + key.size );
      return e;
    }
    void insertSlot( quint64 mixedHash, size_t entryIndex )
    {
      const size_t mask = mSlotCount - 1;
      size_t i = static_cast<size_t>( mixedHash ) & mask;
      while ( mSlots[i].index != 0 )
        i = ( i + 1 ) & mask;
      mSlots[i] = { static_cast<quint32>( mixedHash >> 32 ), static_cast<quint32>( entryIndex + 1 ) };
    }
    //! (Re)builds the index for twice the entries (at least the reserved count).
    void buildSlots()
    {
      size_t count = 16;
      while ( count < std::max( mReserve, mCount + 1 ) * 2 )
        count *= 2;
      releaseSlots();
      const size_t bytes = count * sizeof( Slot );
#ifdef Q_OS_LINUX
      // 2 MiB pages: one TLB entry covers 256 Ki slots instead of 512.
      void *memory = ::mmap( nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0 );
      if ( memory != MAP_FAILED )
      {
        ::madvise( memory, bytes, MADV_HUGEPAGE );
        mSlots = static_cast<Slot *>( memory ); // zero-filled
        mMapped = true;
      }
#endif
      if ( !mSlots )
        mSlots = new Slot[count]();
      mSlotCount = count;
      for ( size_t k = 0; k < mCount; ++k )
        insertSlot( mix( keyHash( key( entry( k ) ) ) ), k );
    }
    void releaseSlots()
    {
#ifdef Q_OS_LINUX
      if ( mMapped )
        ::munmap( mSlots, mSlotCount * sizeof( Slot ) );
      else
#endif
        delete[] mSlots;
      mSlots = nullptr;
      mSlotCount = 0;
      mMapped = false;
    }

    std::vector<std::vector<Entry>> mBlocks; //!< of kBlock entries each
    size_t mCount = 0;
    std::vector<char> mKeys;
    Slot *mSlots = nullptr;
    size_t mSlotCount = 0;
    bool mMapped = false;
    size_t mReserve = 0;
    size_t mNext = 0; //!< the entry after the one found last
};

/**
 * The person hashes of all offenses of an import in one array: an offense's hashes are one
 * range of it (an offense that gets persons again later, when its key comes back further down
 * the file, moves its range to the end).
 */
class PersonHashes
{
  public:
    const quint64 *begin( const Entry &e ) const { return mHashes.data() + e.personFirst; }
    const quint64 *end( const Entry &e ) const { return mHashes.data() + e.personFirst + e.personCount; }
    bool contains( const Entry &e, quint64 hash ) const { return std::find( begin( e ), end( e ), hash ) != end( e ); }
    void add( Entry &e, quint64 hash )
    {
      if ( e.personCount == 0 )
        e.personFirst = static_cast<quint32>( mHashes.size() );
      else if ( e.personFirst + e.personCount != mHashes.size() )
      {
        const std::vector<quint64> range( begin( e ), end( e ) );
        e.personFirst = static_cast<quint32>( mHashes.size() );
        mHashes.insert( mHashes.end(), range.begin(), range.end() );
      }
      mHashes.push_back( hash );
      ++e.personCount;
    }

  private:
    std::vector<quint64> mHashes;
};

/**
 * Starts the disk writes of the project file while the import still computes: every 250 ms,
 * sync_file_range() asks the kernel to begin writing back what SQLite has written to the file so
 * far (pages spilled from its cache), so that the commit's fsync() waits only for the rest
 * instead of for the whole file. Only a hint: durability still comes from the commit's fsync().
 */
class BackgroundWriteback
{
  public:
    explicit BackgroundWriteback( const QString &path )
    {
#ifdef Q_OS_LINUX
      mFd = ::open( QFile::encodeName( path ).constData(), O_RDONLY | O_CLOEXEC );
      if ( mFd < 0 )
        return;
      mThread = std::thread( [this] {
        std::unique_lock<std::mutex> lock( mMutex );
        while ( !mStop )
        {
          mWake.wait_for( lock, std::chrono::milliseconds( 250 ) );
          if ( !mStop )
            ::sync_file_range( mFd, 0, 0, SYNC_FILE_RANGE_WRITE );
        }
      } );
#else
      Q_UNUSED( path )
#endif
    }
    ~BackgroundWriteback()
    {
      {
        std::lock_guard<std::mutex> lock( mMutex );
        mStop = true;
      }
      mWake.notify_all();
      if ( mThread.joinable() )
        mThread.join();
#ifdef Q_OS_LINUX
      if ( mFd >= 0 )
        ::close( mFd );
#endif
    }
    BackgroundWriteback( const BackgroundWriteback & ) = delete;
    BackgroundWriteback &operator=( const BackgroundWriteback & ) = delete;

  private:
    int mFd = -1;
    std::thread mThread;
    std::mutex mMutex;
    std::condition_variable mWake;
    bool mStop = false;
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

/**
 * GDAL's feature-count triggers of a GeoPackage table: each inserted or deleted row updates
 * gpkg_ogr_contents (and opens a statement journal for it). They are dropped for the import and
 * recreated with their own SQL at the end, where refreshContents() writes the exact count; all
 * inside the import's transaction.
 */
class SuspendedTriggers
{
  public:
    bool suspend( SqliteDatabase &db, const QString &table )
    {
      SqliteStatement st( db, QStringLiteral( "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?1 AND name IN ('trigger_insert_feature_count_' || ?1, 'trigger_delete_feature_count_' || ?1)" ) );
      st.bindText( 1, table );
      QStringList names;
      while ( st.next() )
      {
        names << st.text( 0 );
        mSql << st.text( 1 );
      }
      for ( const QString &name : std::as_const( names ) )
      {
        if ( !db.exec( QStringLiteral( "DROP TRIGGER \"%1\"" ).arg( name ) ) )
          return false;
      }
      return true;
    }
    bool restore( SqliteDatabase &db )
    {
      for ( const QString &sql : std::as_const( mSql ) )
      {
        if ( !db.exec( sql ) )
          return false;
      }
      mSql.clear();
      return true;
    }

  private:
    QStringList mSql;
};

int flagOrNull( int a, int b )
{
  if ( a == 1 || b == 1 )
    return 1;
  if ( a == 0 || b == 0 )
    return 0;
  return -1;
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
  builder.resolveColumns();

  SqliteDatabase &db = mProject.database();
  sqlite3 *h = db.handle();
  // For the import: a 256 MiB page cache (32 MiB for a first import, see below); temporary data
  // (statement journals, sorts) in memory instead of temporary files; and existing pages read
  // through a memory map (up to 512 MiB) instead of a read() and a page copy each, which halves
  // the cost of loading the records of a big table before a re-import. Restored afterwards.
  const qint64 oldCacheSize = db.scalar( QStringLiteral( "PRAGMA cache_size" ) ).toLongLong();
  const qint64 oldTempStore = db.scalar( QStringLiteral( "PRAGMA temp_store" ) ).toLongLong();
  const qint64 oldMmapSize = db.scalar( QStringLiteral( "PRAGMA mmap_size" ) ).toLongLong();
  db.exec( QStringLiteral( "PRAGMA cache_size = -262144" ) );
  db.exec( QStringLiteral( "PRAGMA temp_store = MEMORY" ) );
  db.exec( QStringLiteral( "PRAGMA mmap_size = 536870912" ) );
  struct PragmaRestore
  {
      SqliteDatabase &db;
      qint64 cacheSize;
      qint64 tempStore;
      qint64 mmapSize;
      ~PragmaRestore()
      {
        db.exec( QStringLiteral( "PRAGMA cache_size = %1" ).arg( cacheSize ) );
        db.exec( QStringLiteral( "PRAGMA temp_store = %1" ).arg( tempStore ) );
        db.exec( QStringLiteral( "PRAGMA mmap_size = %1" ).arg( mmapSize ) );
      }
  } pragmaRestore { db, oldCacheSize, oldTempStore, oldMmapSize };
  SqliteTransaction tx( db );
  if ( !tx.isActive() )
  {
    summary.error = QObject::tr( "Cannot write to the project: %1" ).arg( db.errorString() );
    return summary;
  }
  const BackgroundWriteback writeback( mProject.path() );
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

  // The parsing pipeline: a reader thread turns rows into records (build), a finisher thread
  // checks their locations, reprojects them and hashes them (finish), this thread writes. It
  // starts now, so that it runs while the table's existing records are loaded below; the queue
  // to the writer is long until then (a re-import loads ~700k records first), short afterwards.
  BatchQueue built( 8 ); // reader -> finisher, and the pool of used batches
  BatchQueue ready( 96 ); // finisher -> writer
  std::atomic<bool> stop { false };
  const size_t batchSize = static_cast<size_t>( std::max( 1, options.batchSize ) );
  const int recordFields = builder.recordFields();
  std::thread parser( [&] {
    Batch batch = built.fresh();
    batch.records.reserve( batchSize );
    auto flush = [&]( bool last ) {
      batch.bytes = reader.bytesConsumed();
      batch.last = last;
      const bool ok = built.push( std::move( batch ) );
      batch = built.fresh();
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
      Record &r = batch.append();
      r.reset( recordFields );
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
      if ( batch.count >= batchSize && !flush( false ) )
        return;
    }
    flush( true );
  } );
  std::thread finisher( [&] {
    for ( ;; )
    {
      std::optional<Batch> batch = built.pop();
      if ( !batch )
        return;
      const bool end = batch->last || !batch->fatal.isEmpty();
      if ( batch->fatal.isEmpty() )
        builder.finish( *batch );
      if ( !ready.push( std::move( *batch ) ) || end )
        break;
    }
  } );
  auto stopParser = [&] {
    stop = true;
    built.stop();
    ready.stop();
    if ( parser.joinable() )
      parser.join();
    if ( finisher.joinable() )
      finisher.join();
  };
  struct Joiner
  {
      std::function<void()> join;
      ~Joiner() { join(); }
  } joiner { stopParser };

  // Existing records: key -> fid, hash, in one pass.
  EntryMap entries;
  // Keys the file may bring: a KCPD crime row takes ~190 bytes.
  const size_t fileKeys = static_cast<size_t>( reader.size() / 150 + 16 );
  {
    const QByteArray sql = QStringLiteral( "SELECT \"%1\", fid, row_hash FROM \"%2\"" ).arg( QString::fromUtf8( cols.names[0] ), table ).toUtf8();
    Stmt st( h, sql );
    if ( !st.ok() )
    {
      summary.error = st.error();
      return summary;
    }
    const qint64 existing = db.scalar( QStringLiteral( "SELECT COUNT(*) FROM \"%1\"" ).arg( table ) ).toLongLong();
    // Room for the file's keys too, so the map never rehashes.
    entries.reserve( static_cast<size_t>( existing ) + fileKeys );
    while ( sqlite3_step( *st ) == SQLITE_ROW )
    {
      const char *key = reinterpret_cast<const char *>( sqlite3_column_text( *st, 0 ) );
      if ( !key )
        continue;
      Entry &e = entries.append( Bytes { key, sqlite3_column_bytes( *st, 0 ) } );
      e.fid = sqlite3_column_int64( *st, 1 );
      e.existed = true;
      const char *hash = reinterpret_cast<const char *>( sqlite3_column_text( *st, 2 ) );
      e.hadHash = hash != nullptr;
      e.stored = e.original = hash ? std::strtoull( hash, nullptr, 16 ) : 0;
    }
  }

  // A first import into an empty table: secondary indexes are dropped and built once at the end
  // (a sort instead of a B-tree insert per row), and the R*Tree is packed once at the end instead
  // of growing through its triggers. All of it happens inside this transaction, so a cancel or a
  // crash still leaves the previous state, indexes and triggers included.
  QStringList deferredIndexes;
  std::unique_ptr<GpkgRtreeBulkLoader> rtree;
  if ( entries.empty() && options.deferIndexes )
  {
    QStringList tables { table };
    if ( options.kind == ImportKind::Crime && db.scalar( QStringLiteral( "SELECT COUNT(*) FROM (SELECT 1 FROM restricted_person_involvements LIMIT 1)" ) ).toLongLong() == 0 )
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
    // Only new pages from here on, written once: a small page cache recycles its memory instead
    // of growing by a quarter gigabyte of fresh pages, and hands pages to the kernel early, so
    // the commit has less left to write (measured: 10-15 % less CPU, shorter commit).
    db.exec( QStringLiteral( "PRAGMA cache_size = -32768" ) );
    rtree = std::make_unique<GpkgRtreeBulkLoader>( db, table );
    QString rtreeError;
    if ( !rtree->begin( &rtreeError ) )
    {
      if ( !rtreeError.isEmpty() )
      {
        summary.error = rtreeError;
        return summary;
      }
      rtree.reset(); // not a GeoPackage R*Tree we can pack: its triggers keep it up to date
    }
    else
      rtree->reserve( fileKeys );
  }

  ready.setCapacity( 16 );
  SuspendedTriggers featureCount;
  if ( !featureCount.suspend( db, table ) )
  {
    summary.error = db.errorString();
    return summary;
  }

  // Statements. New rows go in kRowsPerInsert at a time through one multi-row INSERT (SQLite's
  // per-statement work, AUTOINCREMENT's sqlite_sequence lookup and update among it, then happens
  // once for all of them), with the fids SQLite would give them one by one.
  constexpr int kRowsPerInsert = 32;
  auto rowsOfParameters = []( int parameters, int rows ) {
    QByteArray row = "(?";
    for ( int i = 1; i < parameters; ++i )
      row += ", ?";
    row += ")";
    QByteArray all = row;
    for ( int r = 1; r < rows; ++r )
      all += ", " + row;
    return all;
  };
  QByteArray insertColumns = "INSERT INTO \"" + table.toUtf8() + "\"(geom";
  QByteArray updateSql = "UPDATE \"" + table.toUtf8() + "\" SET geom = ?1";
  for ( int i = 0; i < n; ++i )
  {
    insertColumns += ", \"" + cols.names[i] + "\"";
    updateSql += ", \"" + cols.names[i] + "\" = ?" + QByteArray::number( i + 2 );
  }
  insertColumns += ", row_hash, fid) VALUES ";
  updateSql += ", row_hash = ?" + QByteArray::number( n + 2 ) + " WHERE fid = ?" + QByteArray::number( n + 3 );
  const int recordParameters = n + 3; // geom, the columns, row_hash, fid: the update's ?1 .. ?n+3 too
  Stmt insert( h, insertColumns + rowsOfParameters( recordParameters, 1 ) );
  Stmt insertMany( h, insertColumns + rowsOfParameters( recordParameters, kRowsPerInsert ) );
  Stmt update( h, updateSql );
  Stmt reject( h, "INSERT INTO import_rejects(import_id, source_file, line_no, raw_text, reason) VALUES (?, ?, ?, ?, ?)" );
  const QByteArray personColumns = "INSERT OR IGNORE INTO restricted_person_involvements(offense_key, report_no, invl_no, involvement, race, sex, age, row_hash) VALUES ";
  constexpr int personParameters = 8;
  Stmt personInsert( h, personColumns + rowsOfParameters( personParameters, 1 ) );
  Stmt personInsertMany( h, personColumns + rowsOfParameters( personParameters, kRowsPerInsert ) );
  Stmt personSelect( h, "SELECT row_hash FROM restricted_person_involvements WHERE offense_key = ?" );
  Stmt personDelete( h, "DELETE FROM restricted_person_involvements WHERE offense_key = ? AND row_hash = ?" );
  for ( const Stmt *s : { &insert, &insertMany, &update, &reject, &personInsert, &personInsertMany, &personSelect, &personDelete } )
  {
    if ( !s->ok() )
    {
      summary.error = s->error();
      return summary;
    }
  }
  // The fid SQLite would give the next row: past the largest fid, and with AUTOINCREMENT past the
  // largest one ever given (sqlite_sequence).
  qint64 nextFid = db.scalar( QStringLiteral( "SELECT MAX(fid) FROM \"%1\"" ).arg( table ) ).toLongLong();
  if ( db.tableExists( QStringLiteral( "sqlite_sequence" ) ) )
  {
    SqliteStatement seq( db, QStringLiteral( "SELECT seq FROM sqlite_sequence WHERE name = ?" ) );
    seq.bindText( 1, table );
    if ( seq.next() )
      nextFid = std::max( nextFid, seq.int64( 0 ) );
  }
  ++nextFid;
  const QByteArray importId = summary.importId.toUtf8();
  const QByteArray sourceFile = summary.sourceFile.toUtf8();

  // Writer.
  std::vector<Entry *> touched;
  touched.reserve( entries.size() + fileKeys );
  adviseHugePages( touched );
  PersonHashes personHashes;
  std::vector<std::vector<quint64>> presentLists; //!< Entry::present
  qint64 flagCounts[kLocationFlagCount] = {};
  QString writeError;
  auto bindText = [&]( sqlite3_stmt *st, int index, Bytes b, bool isNull ) {
    if ( isNull )
      sqlite3_bind_null( st, index );
    else
      sqlite3_bind_text( st, index, b.data, b.size, SQLITE_STATIC );
  };
  auto bindRecord = [&]( sqlite3_stmt *st, int base, const Record &r, quint64 hash, int domestic, char *hashText ) {
    if ( r.placed )
      sqlite3_bind_blob( st, base + 1, r.geom, kGpkgPointSize, SQLITE_STATIC );
    else
      sqlite3_bind_null( st, base + 1 );
    for ( int i = 0; i < n; ++i )
    {
      if ( i == cols.domestic )
      {
        if ( domestic < 0 )
          sqlite3_bind_null( st, base + i + 2 );
        else
          sqlite3_bind_int( st, base + i + 2, domestic );
      }
      else if ( cols.integer[i] && !r.isNull( i ) )
        sqlite3_bind_int( st, base + i + 2, r.get( i ).data[0] == '1' ? 1 : 0 );
      else
        bindText( st, base + i + 2, r.get( i ), r.isNull( i ) );
    }
    hashToHex( hash, hashText );
    sqlite3_bind_text( st, base + n + 2, hashText, 16, SQLITE_STATIC );
  };
  // Every statement has all its parameters bound before each step: no sqlite3_clear_bindings().
  auto step = [&]( sqlite3_stmt *st ) {
    const int rc = sqlite3_step( st );
    sqlite3_reset( st );
    if ( rc != SQLITE_DONE && rc != SQLITE_ROW )
    {
      writeError = QString::fromUtf8( sqlite3_errmsg( h ) );
      return false;
    }
    return true;
  };

  // Rows waiting for their multi-row INSERT. They point into the batches' records, so they are
  // written before a batch goes back to the parser, and before an UPDATE (which may be of them).
  struct PendingRecord
  {
      const Record *record;
      quint64 hash;
      int domestic;
      qint64 fid;
      char hashText[16];
  };
  struct PendingPerson
  {
      const Record *record;
      Bytes key;
      QByteArray ordinal;
      char hashText[16];
  };
  std::vector<PendingRecord> pendingRecords;
  std::vector<PendingPerson> pendingPersons;
  pendingRecords.reserve( kRowsPerInsert );
  pendingPersons.reserve( kRowsPerInsert );
  auto flushRecords = [&]() {
    for ( size_t k = 0; k < pendingRecords.size(); )
    {
      const int rows = pendingRecords.size() - k >= kRowsPerInsert ? kRowsPerInsert : 1;
      sqlite3_stmt *st = rows == kRowsPerInsert ? *insertMany : *insert;
      for ( int j = 0; j < rows; ++j )
      {
        PendingRecord &p = pendingRecords[k + j];
        const int base = j * recordParameters;
        bindRecord( st, base, *p.record, p.hash, p.domestic, p.hashText );
        sqlite3_bind_int64( st, base + n + 3, p.fid );
      }
      if ( !step( st ) )
        return false;
      k += rows;
    }
    pendingRecords.clear();
    return true;
  };
  auto flushPersons = [&]() {
    for ( size_t k = 0; k < pendingPersons.size(); )
    {
      const int rows = pendingPersons.size() - k >= kRowsPerInsert ? kRowsPerInsert : 1;
      sqlite3_stmt *st = rows == kRowsPerInsert ? *personInsertMany : *personInsert;
      for ( int j = 0; j < rows; ++j )
      {
        const PendingPerson &p = pendingPersons[k + j];
        const Record *r = p.record;
        const int base = j * personParameters;
        bindText( st, base + 1, p.key, false );
        bindText( st, base + 2, r->get( 1 ), false );
        if ( r->isNull( n + PInvlNo ) )
          sqlite3_bind_text( st, base + 3, p.ordinal.constData(), p.ordinal.size(), SQLITE_STATIC );
        else
          bindText( st, base + 3, r->get( n + PInvlNo ), false );
        for ( int f = PInvolvement; f < PCount; ++f )
          bindText( st, base + 3 + f, r->get( n + f ), r->isNull( n + f ) );
        sqlite3_bind_text( st, base + 8, p.hashText, 16, SQLITE_STATIC );
      }
      if ( !step( st ) )
        return false;
      k += rows;
    }
    pendingPersons.clear();
    return true;
  };
  auto flushPending = [&]() { return flushRecords() && flushPersons(); };
  auto writeRecord = [&]( Entry &e, const Record &r, quint64 hash, int domestic ) {
    if ( e.fid )
    {
      char hashText[16];
      if ( !flushRecords() )
        return false;
      bindRecord( *update, 0, r, hash, domestic, hashText );
      sqlite3_bind_int64( *update, n + 3, e.fid );
      if ( !step( *update ) )
        return false;
    }
    else
    {
      e.fid = nextFid++;
      pendingRecords.push_back( { &r, hash, domestic, e.fid, {} } );
      if ( pendingRecords.size() >= kRowsPerInsert && !flushRecords() )
        return false;
    }
    if ( rtree )
    {
      if ( r.placed )
        rtree->setEnvelope( e.fid, r.x, r.x, r.y, r.y );
      else
        rtree->clearEnvelope( e.fid );
    }
    e.stored = hash;
    return true;
  };
  auto touch = [&]( Entry &e, const Record &r ) {
    if ( e.touched )
      return false;
    e.touched = true;
    touched.push_back( &e );
    ++flagCounts[static_cast<int>( r.flag )];
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
  // the record already written. A group may span batches: the batches it points into are held
  // until it is written, then go back to the parser.
  std::vector<const Record *> group;
  std::vector<Batch> held;
  struct Person
  {
      quint64 hash;
      const Record *record;
      QByteArray ordinal;
  };
  std::vector<Person> persons;
  QHash<quint64, int> ordinals;
  auto flushGroup = [&]() -> bool {
    if ( group.empty() )
      return true;
    const Record &first = *group.front();
    const Bytes keyBytes = first.get( 0 );
    Entry &e = entries( keyBytes, first.keyHash );
    if ( !touch( e, first ) )
      ++summary.merged; // the key was already seen in this file
    summary.merged += static_cast<qint64>( group.size() ) - 1;
    int domestic = e.domestic;
    persons.clear();
    ordinals.clear();
    for ( const Record *rp : group )
    {
      const Record &r = *rp;
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
      const quint64 ph = r.isNull( n + PInvlNo ) ? personHash( r, n, ordinal ) : r.personHash;
      if ( !personHashes.contains( e, ph ) )
      {
        personHashes.add( e, ph );
        persons.push_back( { ph, &r, ordinal } );
      }
    }
    e.domestic = static_cast<qint8>( domestic );
    quint64 personsXor = 0;
    for ( const quint64 *p = personHashes.begin( e ); p != personHashes.end( e ); ++p )
      personsXor ^= *p * 0x9E3779B97F4A7C15ULL;
    ContentHasher total;
    total.add( reinterpret_cast<const char *>( &first.hash ), 8 );
    total.add( reinterpret_cast<const char *>( &domestic ), sizeof domestic );
    total.add( reinterpret_cast<const char *>( &personsXor ), 8 );
    const size_t personCount = e.personCount;
    total.add( reinterpret_cast<const char *>( &personCount ), sizeof personCount );
    const quint64 hash = total.value();
    if ( !( e.fid && e.hadHash && hash == e.stored ) )
    {
      if ( e.existed && e.present < 0 )
      {
        e.present = static_cast<qint32>( presentLists.size() );
        std::vector<quint64> &present = presentLists.emplace_back();
        sqlite3_bind_text( *personSelect, 1, keyBytes.data, keyBytes.size, SQLITE_STATIC );
        while ( sqlite3_step( *personSelect ) == SQLITE_ROW )
        {
          const char *t = reinterpret_cast<const char *>( sqlite3_column_text( *personSelect, 0 ) );
          present.push_back( t ? std::strtoull( t, nullptr, 16 ) : 0 );
        }
        sqlite3_reset( *personSelect );
      }
      if ( !writeRecord( e, first, hash, domestic ) )
        return false;
      e.hadHash = true;
      // Persons of this group not yet in the database.
      for ( const Person &person : persons )
      {
        const quint64 ph = person.hash;
        const Record *r = person.record;
        if ( e.present >= 0 && std::find( presentLists[e.present].begin(), presentLists[e.present].end(), ph ) != presentLists[e.present].end() )
          continue;
        PendingPerson &pending = pendingPersons.emplace_back();
        pending.record = r;
        pending.key = keyBytes;
        pending.ordinal = person.ordinal;
        hashToHex( ph, pending.hashText );
        if ( pendingPersons.size() >= kRowsPerInsert && !flushPersons() )
          return false;
        ++summary.personRows;
      }
    }
    group.clear();
    if ( !held.empty() )
    {
      if ( !flushPending() )
        return false;
      for ( Batch &b : held )
        built.recycle( std::move( b ) );
      held.clear();
    }
    return true;
  };

  bool canceled = false;
  for ( bool done = false; !done; )
  {
    std::optional<Batch> popped = ready.pop();
    if ( !popped )
    {
      writeError = QObject::tr( "The reading of the file stopped unexpectedly." );
      break;
    }
    Batch batch = std::move( *popped );
    done = batch.last || !batch.fatal.isEmpty();
    if ( !batch.fatal.isEmpty() )
    {
      writeError = batch.fatal;
      break;
    }
    summary.latin1Rows += batch.latin1;
    const qint64 batchBytes = batch.bytes;
    for ( size_t k = 0; k < batch.count; ++k )
    {
      const Record &r = batch.records[k];
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
          const Bytes a = group.front()->get( 0 ), b = r.get( 0 );
          if ( a.size != b.size || std::memcmp( a.data, b.data, a.size ) != 0 )
          {
            if ( !flushGroup() )
              break;
          }
        }
        group.push_back( &r );
        continue;
      }
      const Bytes keyBytes = r.get( 0 );
      Entry &e = entries( keyBytes, r.keyHash );
      if ( !touch( e, r ) )
        ++summary.merged; // a repeated key: the later row wins
      if ( e.fid && e.hadHash && e.stored == r.hash )
        continue;
      if ( !writeRecord( e, r, r.hash, -1 ) )
        break;
      e.hadHash = true;
    }
    if ( !group.empty() )
      held.push_back( std::move( batch ) ); // the open group points into it
    else if ( writeError.isEmpty() && flushPending() )
      built.recycle( std::move( batch ) );
    if ( !writeError.isEmpty() )
      break;
    if ( feedback )
    {
      if ( reader.size() > 0 )
        feedback->setProgress( 99.0 * static_cast<double>( batchBytes ) / reader.size() );
      if ( feedback->isCanceled() )
      {
        canceled = true;
        break;
      }
    }
  }
  if ( writeError.isEmpty() && !canceled && ( !flushGroup() || !flushPending() ) && writeError.isEmpty() )
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
  for ( int f = 0; f < kLocationFlagCount; ++f )
  {
    if ( flagCounts[f] )
      summary.locationFlags[QString::fromLatin1( locationFlagName( static_cast<LocationFlag>( f ) ) )] += flagCounts[f];
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
    for ( size_t k = 0; k < entries.size(); ++k )
    {
      Entry &e = entries.entry( k );
      if ( !e.touched || e.present < 0 )
        continue;
      const Bytes key = entries.key( e );
      for ( quint64 p : presentLists[e.present] )
      {
        if ( personHashes.contains( e, p ) )
          continue;
        char hashText[16];
        hashToHex( p, hashText );
        sqlite3_bind_text( *personDelete, 1, key.data, key.size, SQLITE_STATIC );
        sqlite3_bind_text( *personDelete, 2, hashText, 16, SQLITE_STATIC );
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

  // The R*Tree's nodes are sorted and packed in another thread while this one builds the
  // secondary indexes; then both are written.
  std::thread rtreePacker;
  if ( rtree )
    rtreePacker = std::thread( [&rtree] { rtree->prepare(); } );
  struct PackerJoin
  {
      std::thread &thread;
      ~PackerJoin()
      {
        if ( thread.joinable() )
          thread.join();
      }
  } packerJoin { rtreePacker };
  for ( const QString &sql : std::as_const( deferredIndexes ) )
  {
    if ( !db.exec( sql ) )
    {
      summary.ok = false;
      summary.error = QObject::tr( "Could not build an index, the project is unchanged: %1" ).arg( db.errorString() );
      return summary;
    }
  }
  if ( rtree )
  {
    rtreePacker.join();
    QString rtreeError;
    if ( !rtree->finish( &rtreeError ) )
    {
      summary.error = QObject::tr( "Could not build the spatial index, the project is unchanged: %1" ).arg( rtreeError );
      return summary;
    }
  }
  if ( !featureCount.restore( db ) )
  {
    summary.error = QObject::tr( "Could not restore the feature count triggers, the project is unchanged: %1" ).arg( db.errorString() );
    return summary;
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
