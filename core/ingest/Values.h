/**
 * \file Values.h
 * Parsing of the values city files hold: dates and times in the formats KC exports use,
 * Y/N/U and true/false flags, the three forms of a KCPD Location cell, NIBRS classification,
 * and the local-time formatting the schema wants (ISO with the project's UTC offset).
 *
 * Everything here works on UTF-8 byte ranges and is fast enough for millions of rows.
 * Free functions are thread-safe; a LocalTimeFormatter is used by one thread.
 */
#pragma once

#include "statdesk_core_export.h"

#include <QByteArray>
#include <QDate>
#include <QHash>
#include <QString>
#include <QTimeZone>

#include <climits>
#include <string>
#include <vector>

namespace statdesk::ingest
{

//! A view of UTF-8 bytes (valid as long as its owner).
struct Bytes
{
    const char *data = nullptr;
    int size = 0;
    bool isEmpty() const { return size == 0; }
    QByteArray toByteArray() const { return QByteArray( data, size ); }
    QString toString() const { return QString::fromUtf8( data, size ); }
};

//! \a b without leading/trailing blanks.
STATDESK_CORE_EXPORT Bytes trimmed( Bytes b );

enum class DateOrder
{
  MonthDayYear,
  DayMonthYear,
};

//! A parsed date and optional time. jd < 0 = no date; seconds < 0 = no time.
struct DateTimeValue
{
    qint64 jd = -1;
    int seconds = -1;
    int utcOffset = INT_MIN; //!< explicit offset in the text ("Z", "-05:00"), else INT_MIN = local time
    bool isValid() const { return jd >= 0; }
};

/**
 * Parses "5/28/2017", "5/28/17", "2017-05-28", "2017/05/28", optionally followed by a time
 * (' ' or 'T' separated): "3:44", "13:30:00", "3:44 PM", "2026-08-24T11:07:00.000", with an
 * optional "Z" / "+hh:mm" offset. Returns an invalid value for anything else.
 */
STATDESK_CORE_EXPORT DateTimeValue parseDateTime( Bytes text, DateOrder order = DateOrder::MonthDayYear );
//! Seconds after midnight of "3:44", "03:44:00", "3:44:00.000", "3:44 PM", "1544"; -1 when not a time.
STATDESK_CORE_EXPORT int parseTimeOfDay( Bytes text );

//! 1 for Y/YES/TRUE/T/1, 0 for N/NO/FALSE/F/0, -1 for U, blank and anything else (unknown).
STATDESK_CORE_EXPORT int parseFlag( Bytes text );

//! Parses a number; false for blank or garbage.
STATDESK_CORE_EXPORT bool parseDouble( Bytes text, double &value );

/**
 * Finds a point in a location cell: the KCPD three-line form "...\n(lat, lon)" (latitude first),
 * WKT "POINT (lon lat)", a GeoJSON point {"type":"Point","coordinates":[lon,lat]} or a bare
 * "lat, lon". Returns false when the cell holds no coordinates (e.g. "99999\n").
 */
STATDESK_CORE_EXPORT bool parseLocationText( Bytes text, double &lon, double &lat );
//! First line of a multi-line location cell when it looks like an address (not a number-only line).
STATDESK_CORE_EXPORT Bytes locationAddress( Bytes text );

//! NIBRS: UCR Part I violent (09A, 11A-C, 120, 13A).
STATDESK_CORE_EXPORT bool isViolentIbrs( Bytes ibrs );
inline bool isViolentIbrs( const QByteArray &ibrs )
{
  return isViolentIbrs( Bytes { ibrs.constData(), static_cast<int>( ibrs.size() ) } );
}
//! Shooting approximation: IBRS in {09A, 13A, 120} with the firearm flag set.
STATDESK_CORE_EXPORT bool isShootingIbrs( Bytes ibrs );
inline bool isShootingIbrs( const QByteArray &ibrs )
{
  return isShootingIbrs( Bytes { ibrs.constData(), static_cast<int>( ibrs.size() ) } );
}
//! A category name for an IBRS code ("Homicide", "Rape", "Robbery", "Aggravated Assault", "Larceny" ...); nullptr for an empty code.
STATDESK_CORE_EXPORT const char *ibrsCategoryName( Bytes ibrs );
//! ibrsCategoryName() as a byte array (null for an empty code).
STATDESK_CORE_EXPORT QByteArray ibrsCategory( const QByteArray &ibrs );

/**
 * Formats local date-times of one time zone as the schema wants ("2017-05-28T02:00:00-05:00"),
 * identical to ProjectFile::formatDateTime but cached per day, because going through QTimeZone
 * for each of millions of values is too slow. Days with a DST transition take the exact path.
 */
class STATDESK_CORE_EXPORT LocalTimeFormatter
{
  public:
    explicit LocalTimeFormatter( const QTimeZone &zone );
    //! An empty array when \a value is invalid. A value without time is taken at 00:00.
    QByteArray format( const DateTimeValue &value );
    //! Appends format( \a value ) to \a out; false (nothing appended) when the value is invalid.
    bool appendTo( const DateTimeValue &value, std::string &out );
    //! "YYYY-MM-DD" of a date (date-only columns).
    static QByteArray formatDate( qint64 jd );

  private:
    //! What is constant over one day without a DST transition: "YYYY-MM-DDT" and the offset suffix.
    struct Day
    {
        qint64 jd = -1;
        bool exact = false; //!< the day has a DST transition: QDateTime decides
        int offset = 0;
        int year = 0, month = 0, day = 0;
        char prefix[24]; //!< "YYYY-MM-DDT"
        int prefixSize = 0;
        char suffix[16]; //!< "-05:00" or "Z"
        int suffixSize = 0;
    };
    const Day &day( qint64 jd );
    QByteArray formatExact( const DateTimeValue &value ) const;
    QTimeZone mZone;
    std::vector<Day> mDays; //!< direct-mapped cache by jd
};

//! 64-bit FNV-1a, fed field by field (with separators) to detect changed content.
class ContentHasher
{
  public:
    void add( const char *data, int size )
    {
      for ( int i = 0; i < size; ++i )
      {
        mHash ^= static_cast<unsigned char>( data[i] );
        mHash *= 0x100000001b3ULL;
      }
      mHash ^= 0x1f;
      mHash *= 0x100000001b3ULL;
    }
    void add( const QByteArray &b ) { add( b.constData(), b.size() ); }
    void addNull() { add( "\x01N", 2 ); }
    void add( double v ) { add( reinterpret_cast<const char *>( &v ), sizeof( double ) ); }
    quint64 value() const { return mHash; }

  private:
    quint64 mHash = 0xcbf29ce484222325ULL;
};

STATDESK_CORE_EXPORT QByteArray hashToHex( quint64 hash );
//! hashToHex() into 16 characters at \a out (no terminating NUL).
inline void hashToHex( quint64 hash, char *out )
{
  static const char digits[] = "0123456789abcdef";
  for ( int i = 15; i >= 0; --i, hash >>= 4 )
    out[i] = digits[hash & 0xF];
}

} // namespace statdesk::ingest
