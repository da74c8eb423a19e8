#include "grants/GrantCsv.h"

#include <QObject>

namespace statdesk::grants
{

QVector<CsvRecord> parseCsv( const QByteArray &raw, QString *error )
{
  QVector<CsvRecord> out;
  QByteArray data = raw;
  if ( data.startsWith( "\xEF\xBB\xBF" ) )
    data = data.mid( 3 );
  if ( data.contains( '\0' ) )
  {
    if ( error )
      *error = QObject::tr( "This is not a text file (it contains NUL bytes)" );
    return out;
  }
  // Not valid UTF-8 (decoding does not round-trip): a spreadsheet saved as Latin-1.
  QString text = QString::fromUtf8( data );
  if ( text.toUtf8() != data )
    text = QString::fromLatin1( data );

  const int firstLineEnd = text.indexOf( QLatin1Char( '\n' ) );
  const QString header = text.left( firstLineEnd < 0 ? text.size() : firstLineEnd );
  QChar delimiter = QLatin1Char( ',' );
  int best = header.count( QLatin1Char( ',' ) );
  for ( const QChar c : { QChar( QLatin1Char( ';' ) ), QChar( QLatin1Char( '\t' ) ) } )
    if ( header.count( c ) > best )
    {
      best = header.count( c );
      delimiter = c;
    }

  CsvRecord rec;
  QString field;
  bool quoted = false;
  bool fieldStarted = false;
  qint64 line = 1;
  rec.line = 1;
  qint64 quoteLine = 0;
  auto endRecord = [&]()
  {
    rec.fields << field;
    field.clear();
    fieldStarted = false;
    if ( !( rec.fields.size() == 1 && rec.fields.first().isEmpty() ) )
      out.push_back( rec );
    rec = CsvRecord();
    rec.line = line;
  };
  for ( int i = 0; i < text.size(); ++i )
  {
    const QChar c = text.at( i );
    if ( quoted )
    {
      if ( c == QLatin1Char( '"' ) )
      {
        if ( i + 1 < text.size() && text.at( i + 1 ) == QLatin1Char( '"' ) )
        {
          field += c;
          ++i;
        }
        else
          quoted = false;
      }
      else
      {
        if ( c == QLatin1Char( '\n' ) )
          ++line;
        field += c;
      }
      continue;
    }
    if ( c == QLatin1Char( '"' ) && !fieldStarted )
    {
      quoted = true;
      fieldStarted = true;
      quoteLine = line;
    }
    else if ( c == delimiter )
    {
      rec.fields << field;
      field.clear();
      fieldStarted = false;
    }
    else if ( c == QLatin1Char( '\r' ) )
      continue;
    else if ( c == QLatin1Char( '\n' ) )
    {
      ++line;
      endRecord();
    }
    else
    {
      field += c;
      fieldStarted = true;
    }
  }
  if ( quoted )
  {
    if ( error )
      *error = QObject::tr( "A quote opened on line %1 is never closed" ).arg( quoteLine );
    return out;
  }
  if ( !field.isEmpty() || !rec.fields.isEmpty() )
    endRecord();
  return out;
}

QByteArray csvLine( const QStringList &fields )
{
  QStringList quoted;
  for ( const QString &f : fields )
  {
    if ( f.contains( QLatin1Char( ',' ) ) || f.contains( QLatin1Char( '"' ) ) || f.contains( QLatin1Char( '\n' ) ) || f.contains( QLatin1Char( '\r' ) ) )
      quoted << QStringLiteral( "\"%1\"" ).arg( QString( f ).replace( QLatin1Char( '"' ), QStringLiteral( "\"\"" ) ) );
    else
      quoted << f;
  }
  return quoted.join( QLatin1Char( ',' ) ).toUtf8() + "\r\n";
}

} // namespace statdesk::grants
