#include "grants/Money.h"

#include <QObject>

namespace statdesk::grants
{

bool parseMoney( const QString &text, qint64 *cents, QString *error )
{
  auto refuse = [&]( const QString &why )
  {
    if ( error )
      *error = QObject::tr( "\"%1\" is not an amount: %2" ).arg( text, why );
    return false;
  };
  QString s = text.trimmed();
  bool negative = false;
  if ( s.startsWith( QLatin1Char( '-' ) ) )
  {
    negative = true;
    s = s.mid( 1 ).trimmed();
  }
  if ( s.startsWith( QLatin1Char( '$' ) ) )
    s = s.mid( 1 ).trimmed();
  if ( !negative && s.startsWith( QLatin1Char( '-' ) ) ) // "$-5"
  {
    negative = true;
    s = s.mid( 1 ).trimmed();
  }
  if ( s.isEmpty() )
    return refuse( QObject::tr( "no digits" ) );

  const int dot = s.indexOf( QLatin1Char( '.' ) );
  const QString whole = dot < 0 ? s : s.left( dot );
  const QString fraction = dot < 0 ? QString() : s.mid( dot + 1 );
  if ( fraction.contains( QLatin1Char( '.' ) ) )
    return refuse( QObject::tr( "more than one decimal point" ) );
  if ( fraction.size() > 2 )
    return refuse( QObject::tr( "more than two decimals (cents)" ) );
  if ( dot >= 0 && fraction.isEmpty() && whole.isEmpty() )
    return refuse( QObject::tr( "no digits" ) );

  // Whole part: digits, optionally grouped in threes by ',' or ' ' (one kind of separator).
  QString digits;
  QChar separator;
  int groupLength = 0;
  bool grouped = false;
  for ( int i = 0; i < whole.size(); ++i )
  {
    const QChar c = whole.at( i );
    if ( c.isDigit() && c.unicode() < 128 )
    {
      digits += c;
      ++groupLength;
    }
    else if ( c == QLatin1Char( ',' ) || c == QLatin1Char( ' ' ) )
    {
      if ( !separator.isNull() && c != separator )
        return refuse( QObject::tr( "mixed digit grouping" ) );
      separator = c;
      if ( ( !grouped && ( groupLength < 1 || groupLength > 3 ) ) || ( grouped && groupLength != 3 ) )
        return refuse( QObject::tr( "digit grouping is not in threes" ) );
      grouped = true;
      groupLength = 0;
    }
    else
      return refuse( QObject::tr( "unexpected character '%1'" ).arg( c ) );
  }
  if ( grouped && groupLength != 3 )
    return refuse( QObject::tr( "digit grouping is not in threes" ) );
  for ( const QChar c : fraction )
    if ( !c.isDigit() || c.unicode() >= 128 )
      return refuse( QObject::tr( "unexpected character '%1'" ).arg( c ) );
  if ( digits.isEmpty() && fraction.isEmpty() )
    return refuse( QObject::tr( "no digits" ) );
  if ( digits.size() > 11 )
    return refuse( QObject::tr( "too large" ) );

  qint64 value = 0;
  for ( const QChar c : digits )
    value = value * 10 + ( c.unicode() - '0' );
  QString f = fraction;
  while ( f.size() < 2 )
    f += QLatin1Char( '0' );
  value = value * 100 + ( f.at( 0 ).unicode() - '0' ) * 10 + ( f.at( 1 ).unicode() - '0' );
  if ( cents )
    *cents = negative ? -value : value;
  return true;
}

QString formatMoneyPlain( qint64 cents )
{
  const bool negative = cents < 0;
  const quint64 v = negative ? static_cast<quint64>( -( cents + 1 ) ) + 1 : static_cast<quint64>( cents );
  return QStringLiteral( "%1%2.%3" ).arg( negative ? QStringLiteral( "-" ) : QString() ).arg( v / 100 ).arg( v % 100, 2, 10, QLatin1Char( '0' ) );
}

QString formatMoney( qint64 cents )
{
  const bool negative = cents < 0;
  const quint64 v = negative ? static_cast<quint64>( -( cents + 1 ) ) + 1 : static_cast<quint64>( cents );
  QString whole = QString::number( v / 100 );
  for ( int i = whole.size() - 3; i > 0; i -= 3 )
    whole.insert( i, QLatin1Char( ',' ) );
  return QStringLiteral( "%1$%2.%3" ).arg( negative ? QStringLiteral( "-" ) : QString(), whole ).arg( v % 100, 2, 10, QLatin1Char( '0' ) );
}

} // namespace statdesk::grants
