// The streaming CSV reader and the value parsers of core/ingest.
#include "TestSupport.h"
#include "ingest/CsvReader.h"
#include "ingest/Values.h"

#include <QDateTime>
#include <QTimeZone>

using namespace statdesk::ingest;

class TestImportCsv : public QObject
{
    Q_OBJECT

  private:
    static Bytes b( const char *s ) { return Bytes { s, static_cast<int>( strlen( s ) ) }; }

  private slots:
    void kcThreeLineLocationCells()
    {
      // The real 2017 rows: quoted Location cells with two newlines inside.
      CsvReader r;
      QVERIFY( r.open( statdesk::test::testData( QStringLiteral( "kc/crime_2017.csv" ) ) ) );
      QCOMPARE( r.next(), CsvReader::Status::Record );
      QCOMPARE( r.fieldCount(), 24 );
      QCOMPARE( r.field( 23 ), QStringLiteral( "Location" ) );
      QCOMPARE( r.next(), CsvReader::Status::Record );
      QCOMPARE( r.lineNumber(), 2 );
      QCOMPARE( r.field( 11 ), QStringLiteral( "4000  MILL ST" ) );
      QCOMPARE( r.field( 23 ), QStringLiteral( "4000 MILL ST\nKANSAS CITY 64111\n(39.053635, -94.595998)" ) );
      QCOMPARE( r.next(), CsvReader::Status::Record );
      QCOMPARE( r.lineNumber(), 5 );
      QCOMPARE( r.next(), CsvReader::Status::Record );
      QCOMPARE( r.lineNumber(), 8 );
      QCOMPARE( r.next(), CsvReader::Status::Record );
      QCOMPARE( r.lineNumber(), 11 );
      QCOMPARE( r.field( 23 ), QStringLiteral( "99999\n" ) );
      QCOMPARE( r.next(), CsvReader::Status::End );
    }

    void delimitersBomCrlf_data()
    {
      QTest::addColumn<QByteArray>( "data" );
      QTest::addColumn<char>( "delimiter" );
      QTest::newRow( "comma" ) << QByteArray( "a,b,c\n1,2,3\n" ) << ',';
      QTest::newRow( "semicolon" ) << QByteArray( "a;b;c\n1;2;3\n" ) << ';';
      QTest::newRow( "tab" ) << QByteArray( "a\tb\tc\n1\t2\t3\n" ) << '\t';
      QTest::newRow( "bar" ) << QByteArray( "a|b|c\n1|2|3\n" ) << '|';
      QTest::newRow( "bom crlf" ) << QByteArray( "\xEF\xBB\xBF" "a,b,c\r\n1,2,3\r\n" ) << ',';
      QTest::newRow( "no final newline" ) << QByteArray( "a,b,c\n1,2,3" ) << ',';
      QTest::newRow( "quoted commas" ) << QByteArray( "\"a\",\"b\",c\n1,2,3\n" ) << ',';
    }
    void delimitersBomCrlf()
    {
      QFETCH( QByteArray, data );
      QFETCH( char, delimiter );
      CsvReader r;
      QVERIFY( r.openData( data ) );
      QCOMPARE( r.delimiter(), delimiter );
      QCOMPARE( r.next(), CsvReader::Status::Record );
      QCOMPARE( r.fields(), QStringList( { QStringLiteral( "a" ), QStringLiteral( "b" ), QStringLiteral( "c" ) } ) );
      QCOMPARE( r.next(), CsvReader::Status::Record );
      QCOMPARE( r.fields(), QStringList( { QStringLiteral( "1" ), QStringLiteral( "2" ), QStringLiteral( "3" ) } ) );
      QCOMPARE( r.next(), CsvReader::Status::End );
    }

    void quotesAndCrlfInsideCells()
    {
      CsvReader r;
      QVERIFY( r.openData( QByteArray( "x,y\r\n\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n\r\nlast,row\r\n" ) ) );
      QCOMPARE( r.next(), CsvReader::Status::Record );
      QCOMPARE( r.next(), CsvReader::Status::Record );
      QCOMPARE( r.field( 0 ), QStringLiteral( "say \"hi\"" ) );
      QCOMPARE( r.field( 1 ), QStringLiteral( "two\nlines" ) );
      QCOMPARE( r.next(), CsvReader::Status::Record ); // the blank line is skipped
      QCOMPARE( r.lineNumber(), 5 );
      QCOMPARE( r.field( 0 ), QStringLiteral( "last" ) );
    }

    void truncatedLastRecord()
    {
      CsvReader r;
      QVERIFY( r.openData( QByteArray( "a,b\n1,2\n3,\"unfinished\nce" ) ) );
      QCOMPARE( r.next(), CsvReader::Status::Record );
      QCOMPARE( r.next(), CsvReader::Status::Record );
      QCOMPARE( r.next(), CsvReader::Status::Malformed );
      QCOMPARE( r.malformedReason(), QStringLiteral( "truncated_record" ) );
      QCOMPARE( r.lineNumber(), 3 );
      QCOMPARE( r.rawRecord(), QByteArray( "3,\"unfinished\nce" ) );
      QCOMPARE( r.next(), CsvReader::Status::End );
    }

    void unterminatedQuoteResumesOnNextLine()
    {
      // A stray quote must not swallow the rest of a big file: after maxRecordBytes() the
      // record is given up and reading resumes on the following line.
      QByteArray data = "a,b\n1,\"oops\n";
      for ( int i = 0; i < 60000; ++i )
        data += "2,plain row number " + QByteArray::number( i ) + "\n";
      CsvReader r;
      QVERIFY( r.openData( data ) );
      QCOMPARE( r.next(), CsvReader::Status::Record );
      QCOMPARE( r.next(), CsvReader::Status::Malformed );
      QCOMPARE( r.malformedReason(), QStringLiteral( "unterminated_quote" ) );
      QCOMPARE( r.lineNumber(), 2 );
      int records = 0;
      CsvReader::Status s;
      while ( ( s = r.next() ) == CsvReader::Status::Record )
        ++records;
      QCOMPARE( s, CsvReader::Status::End );
      QVERIFY( records >= 59000 ); // the rows after the runaway record's first megabyte are read
    }

    void latin1Fallback()
    {
      CsvReader r;
      QVERIFY( r.openData( QByteArray( "name\nCAF\xC3\x89\nCAF\xC9\n" ) ) );
      QCOMPARE( r.next(), CsvReader::Status::Record );
      QCOMPARE( r.next(), CsvReader::Status::Record );
      QVERIFY( !r.wasLatin1() );
      QCOMPARE( r.field( 0 ), QStringLiteral( "CAF\u00C9" ) );
      QCOMPARE( r.next(), CsvReader::Status::Record );
      QVERIFY( r.wasLatin1() );
      QCOMPARE( r.field( 0 ), QStringLiteral( "CAF\u00C9" ) );
    }

    void refusals_data()
    {
      QTest::addColumn<QByteArray>( "data" );
      QTest::addColumn<QString>( "message" );
      QTest::newRow( "empty" ) << QByteArray() << QStringLiteral( "empty" );
      QTest::newRow( "blank" ) << QByteArray( "\xEF\xBB\xBF\r\n\r\n" ) << QStringLiteral( "empty" );
      QTest::newRow( "nul" ) << QByteArray( "PK\x03\x04\x00\x00\x08\x00", 8 ) << QStringLiteral( "binary" );
      QTest::newRow( "utf16" ) << QByteArray( "\xFF\xFE" "a\0,\0b\0", 8 ) << QStringLiteral( "UTF-16" );
      QByteArray control;
      for ( int i = 0; i < 400; ++i )
        control += char( 1 + i % 7 );
      QTest::newRow( "control" ) << control << QStringLiteral( "binary" );
    }
    void refusals()
    {
      QFETCH( QByteArray, data );
      QFETCH( QString, message );
      CsvReader r;
      QVERIFY( !r.openData( data ) );
      QVERIFY2( r.errorString().contains( message ), qPrintable( r.errorString() ) );
    }

    void nulInsideFileIsAMalformedRecord()
    {
      CsvReader r;
      QByteArray data = "a,b\n";
      for ( int i = 0; i < 20000; ++i )
        data += "1,2\n"; // past the sniffed start
      data += QByteArray( "3,\0\n", 4 );
      data += "5,6\n";
      QVERIFY( r.openData( data ) );
      int records = 0;
      CsvReader::Status s;
      QString reason;
      while ( ( s = r.next() ) != CsvReader::Status::End )
      {
        if ( s == CsvReader::Status::Malformed )
          reason = r.malformedReason();
        else
          ++records;
      }
      QCOMPARE( reason, QStringLiteral( "binary_data" ) );
      QCOMPARE( records, 1 + 20000 + 1 );
    }

    void dates_data()
    {
      QTest::addColumn<QString>( "text" );
      QTest::addColumn<QDate>( "date" );
      QTest::addColumn<int>( "seconds" );
      QTest::newRow( "M/D/YYYY" ) << "5/28/2017" << QDate( 2017, 5, 28 ) << -1;
      QTest::newRow( "MM/DD/YY" ) << "03/02/19" << QDate( 2019, 3, 2 ) << -1;
      QTest::newRow( "ISO" ) << "2017-05-28" << QDate( 2017, 5, 28 ) << -1;
      QTest::newRow( "ISO ms" ) << "2026-08-24T11:07:00.000" << QDate( 2026, 8, 24 ) << 11 * 3600 + 7 * 60;
      QTest::newRow( "US time" ) << "5/28/2017 3:44 PM" << QDate( 2017, 5, 28 ) << 15 * 3600 + 44 * 60;
      QTest::newRow( "12 AM" ) << "5/28/2017 12:05:09 AM" << QDate( 2017, 5, 28 ) << 5 * 60 + 9;
      QTest::newRow( "bad month" ) << "13/28/2017" << QDate() << -1;
      QTest::newRow( "Feb 30" ) << "2/30/2017" << QDate() << -1;
      QTest::newRow( "text" ) << "yesterday" << QDate() << -1;
    }
    void dates()
    {
      QFETCH( QString, text );
      QFETCH( QDate, date );
      QFETCH( int, seconds );
      const QByteArray utf8 = text.toUtf8();
      const DateTimeValue v = parseDateTime( Bytes { utf8.constData(), utf8.size() } );
      QCOMPARE( v.isValid(), date.isValid() );
      if ( date.isValid() )
      {
        QCOMPARE( QDate::fromJulianDay( v.jd ), date );
        QCOMPARE( v.seconds, seconds );
      }
    }

    void times()
    {
      QCOMPARE( parseTimeOfDay( b( "3:44" ) ), 3 * 3600 + 44 * 60 );
      QCOMPARE( parseTimeOfDay( b( "13:30" ) ), 13 * 3600 + 30 * 60 );
      QCOMPARE( parseTimeOfDay( b( "21:14:00" ) ), 21 * 3600 + 14 * 60 );
      QCOMPARE( parseTimeOfDay( b( "0:00" ) ), 0 );
      QCOMPARE( parseTimeOfDay( b( "25:00" ) ), -1 );
      QCOMPARE( parseTimeOfDay( b( "3:4" ) ), -1 );
      QCOMPARE( parseTimeOfDay( b( "" ) ), -1 );
    }

    void flags()
    {
      for ( const char *yes : { "Y", "y", "true", "TRUE", "Yes", "1" } )
        QCOMPARE( parseFlag( b( yes ) ), 1 );
      for ( const char *no : { "N", "false", "False", "0", "no" } )
        QCOMPARE( parseFlag( b( no ) ), 0 );
      for ( const char *unknown : { "U", "", " ", "maybe" } )
        QCOMPARE( parseFlag( b( unknown ) ), -1 );
    }

    void locations()
    {
      double lon = 0, lat = 0;
      QVERIFY( parseLocationText( b( "4000 MILL ST\nKANSAS CITY 64111\n(39.053635, -94.595998)" ), lon, lat ) );
      QCOMPARE( lat, 39.053635 );
      QCOMPARE( lon, -94.595998 );
      QVERIFY( parseLocationText( b( "POINT (-94.574238 39.021251)" ), lon, lat ) );
      QCOMPARE( lon, -94.574238 );
      QCOMPARE( lat, 39.021251 );
      QVERIFY( parseLocationText( b( "{\"type\":\"Point\",\"coordinates\":[-94.5,39.1]}" ), lon, lat ) );
      QCOMPARE( lon, -94.5 );
      QCOMPARE( lat, 39.1 );
      QVERIFY( !parseLocationText( b( "99999\n" ), lon, lat ) );
      QVERIFY( !parseLocationText( b( "POINT EMPTY" ), lon, lat ) );
      QVERIFY( !parseLocationText( b( "" ), lon, lat ) );
      QCOMPARE( locationAddress( b( "4000 MILL ST\nKANSAS CITY 64111\n(39.05, -94.59)" ) ).toString(), QStringLiteral( "4000 MILL ST" ) );
      QVERIFY( locationAddress( b( "99999\n" ) ).isEmpty() );
    }

    void classification()
    {
      for ( const char *v : { "09A", "11A", "11B", "11C", "120", "13A" } )
        QVERIFY( isViolentIbrs( v ) );
      for ( const char *v : { "09B", "09C", "11D", "13B", "13C", "220", "290" } )
        QVERIFY( !isViolentIbrs( v ) );
      QVERIFY( isShootingIbrs( "09A" ) && isShootingIbrs( "13A" ) && isShootingIbrs( "120" ) && !isShootingIbrs( "11A" ) );
      QCOMPARE( ibrsCategory( "23H" ), QByteArray( "Larceny" ) );
      QCOMPARE( ibrsCategory( "13A" ), QByteArray( "Aggravated Assault" ) );
    }

    void localTimeMatchesQtAcrossDst()
    {
      // Same text as ProjectFile::formatDateTime for every hour of the 2017 DST days and a normal day.
      const QTimeZone zone( "America/Chicago" );
      LocalTimeFormatter formatter( zone );
      for ( const QDate &day : { QDate( 2017, 3, 12 ), QDate( 2017, 11, 5 ), QDate( 2017, 5, 28 ), QDate( 2017, 1, 1 ) } )
      {
        for ( int h = 0; h < 24; ++h )
        {
          DateTimeValue v;
          v.jd = day.toJulianDay();
          v.seconds = h * 3600 + 17 * 60;
          const QDateTime dt( day, QTime( h, 17 ), zone );
          if ( !dt.isValid() )
          {
            // 2:17 does not exist on the spring-forward day: read as the clocks then showed.
            QCOMPARE( formatter.format( v ), QByteArray( "2017-03-12T03:17:00-05:00" ) );
            continue;
          }
          const QString expected = dt.toTimeZone( zone ).toOffsetFromUtc( dt.toTimeZone( zone ).offsetFromUtc() ).toString( Qt::ISODate );
          QCOMPARE( QString::fromLatin1( formatter.format( v ) ), expected );
        }
      }
      DateTimeValue may;
      may.jd = QDate( 2017, 5, 28 ).toJulianDay();
      may.seconds = 2 * 3600;
      QCOMPARE( formatter.format( may ), QByteArray( "2017-05-28T02:00:00-05:00" ) );
    }
};

QTEST_MAIN( TestImportCsv )
#include "test_import_csv.moc"
