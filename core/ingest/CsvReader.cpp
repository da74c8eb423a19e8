#include "CsvReader.h"

#include <QObject>

#include <openssl/evp.h>

#include <cstring>

namespace statdesk::ingest
{

namespace
{
constexpr int kBufferBytes = 4 << 20; // > maxRecordBytes(), so one record always fits
constexpr int kRawLimit = 64 << 10;

//! True when [p, p + n) is well-formed UTF-8 (no overlongs, no surrogates).
bool isValidUtf8( const unsigned char *p, size_t n )
{
  size_t i = 0;
  while ( i < n )
  {
    const unsigned char c = p[i];
    if ( c < 0x80 )
    {
      ++i;
      continue;
    }
    int len;
    unsigned int cp;
    if ( ( c & 0xE0 ) == 0xC0 )
    {
      len = 2;
      cp = c & 0x1F;
    }
    else if ( ( c & 0xF0 ) == 0xE0 )
    {
      len = 3;
      cp = c & 0x0F;
    }
    else if ( ( c & 0xF8 ) == 0xF0 )
    {
      len = 4;
      cp = c & 0x07;
    }
    else
      return false;
    if ( i + len > n )
      return false;
    for ( int k = 1; k < len; ++k )
    {
      if ( ( p[i + k] & 0xC0 ) != 0x80 )
        return false;
      cp = ( cp << 6 ) | ( p[i + k] & 0x3F );
    }
    if ( ( len == 2 && cp < 0x80 ) || ( len == 3 && cp < 0x800 ) || ( len == 4 && ( cp < 0x10000 || cp > 0x10FFFF ) ) || ( cp >= 0xD800 && cp <= 0xDFFF ) )
      return false;
    i += len;
  }
  return true;
}
} // namespace

/**
 * SHA-256 through OpenSSL, which uses the CPU's SHA instructions: several times faster than
 * QCryptographicHash, whose cost would otherwise be a large part of reading a big file.
 */
class CsvReader::Sha256
{
  public:
    Sha256()
      : mContext( EVP_MD_CTX_new() )
    {
      EVP_DigestInit_ex( mContext, EVP_sha256(), nullptr );
    }
    ~Sha256() { EVP_MD_CTX_free( mContext ); }
    Sha256( const Sha256 & ) = delete;
    Sha256 &operator=( const Sha256 & ) = delete;
    void addData( const char *data, size_t size ) { EVP_DigestUpdate( mContext, data, size ); }
    //! The digest of the data so far (the running hash goes on).
    QByteArray result() const
    {
      QByteArray digest( EVP_MAX_MD_SIZE, 0 );
      unsigned int size = 0;
      EVP_MD_CTX *copy = EVP_MD_CTX_new();
      if ( copy && EVP_MD_CTX_copy_ex( copy, mContext ) && EVP_DigestFinal_ex( copy, reinterpret_cast<unsigned char *>( digest.data() ), &size ) )
        digest.resize( static_cast<int>( size ) );
      else
        digest.clear();
      EVP_MD_CTX_free( copy );
      return digest;
    }

  private:
    EVP_MD_CTX *mContext;
};

CsvReader::CsvReader()
  : mSha( std::make_unique<Sha256>() )
{
}

CsvReader::~CsvReader() = default;

QByteArray CsvReader::sha256() const
{
  return mSha->result();
}

bool CsvReader::open( const QString &path, char delimiter )
{
  mFromMemory = false;
  mFile.setFileName( path );
  if ( !mFile.open( QIODevice::ReadOnly ) )
  {
    mError = QObject::tr( "Cannot read %1: %2" ).arg( path, mFile.errorString() );
    return false;
  }
  mSize = mFile.size();
  mBuf.assign( kBufferBytes, 0 );
  return sniff( delimiter );
}

bool CsvReader::openData( const QByteArray &data, char delimiter )
{
  mFromMemory = true;
  mBuf.assign( data.constBegin(), data.constEnd() );
  mBuf.push_back( 0 );
  mSha->addData( data.constData(), static_cast<size_t>( data.size() ) );
  mEnd = data.size();
  mSize = data.size();
  mEof = true;
  return sniff( delimiter );
}

bool CsvReader::fill()
{
  if ( mFromMemory || mEof )
  {
    mEof = true;
    return true;
  }
  if ( mPos > 0 )
  {
    std::memmove( mBuf.data(), mBuf.data() + mPos, static_cast<size_t>( mEnd - mPos ) );
    mConsumedBefore += mPos;
    mEnd -= mPos;
    mPos = 0;
  }
  while ( mEnd < kBufferBytes )
  {
    const qint64 n = mFile.read( mBuf.data() + mEnd, kBufferBytes - mEnd );
    if ( n < 0 )
    {
      mError = QObject::tr( "Read error in %1: %2" ).arg( mFile.fileName(), mFile.errorString() );
      return false;
    }
    if ( n == 0 )
    {
      mEof = true;
      break;
    }
    mSha->addData( mBuf.data() + mEnd, static_cast<size_t>( n ) );
    mEnd += static_cast<int>( n );
  }
  return true;
}

bool CsvReader::sniff( char delimiter )
{
  if ( !mFromMemory && !fill() )
    return false;
  const auto *b = reinterpret_cast<const unsigned char *>( mBuf.data() );
  if ( mEnd >= 2 && ( ( b[0] == 0xFF && b[1] == 0xFE ) || ( b[0] == 0xFE && b[1] == 0xFF ) ) )
  {
    mError = QObject::tr( "The file is UTF-16 text; save it as UTF-8 CSV and import it again." );
    return false;
  }
  if ( mEnd >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF )
    mPos = 3;
  int printable = 0, control = 0;
  const int probe = std::min( mEnd, 64 << 10 );
  for ( int i = mPos; i < probe; ++i )
  {
    const unsigned char c = b[i];
    if ( c == 0 )
    {
      mError = QObject::tr( "This is a binary file, not a CSV text file (it contains NUL bytes)." );
      return false;
    }
    if ( c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != '\f' )
      ++control;
    else if ( c != ' ' && c != '\t' && c != '\r' && c != '\n' )
      ++printable;
  }
  if ( printable == 0 && control == 0 )
  {
    mError = QObject::tr( "The file is empty." );
    return false;
  }
  if ( control * 20 > printable )
  {
    mError = QObject::tr( "This is a binary file, not a CSV text file (it is mostly control characters)." );
    return false;
  }
  if ( delimiter )
  {
    mDelimiter = delimiter;
    return true;
  }
  // The delimiter is the most frequent candidate outside quotes on the first line.
  int counts[4] = { 0, 0, 0, 0 };
  const char candidates[4] = { ',', ';', '\t', '|' };
  bool quoted = false;
  for ( int i = mPos; i < probe; ++i )
  {
    const char c = mBuf[i];
    if ( c == '"' )
      quoted = !quoted;
    else if ( !quoted && c == '\n' )
      break;
    else if ( !quoted )
    {
      for ( int k = 0; k < 4; ++k )
        if ( c == candidates[k] )
          ++counts[k];
    }
  }
  int best = 0;
  for ( int k = 1; k < 4; ++k )
    if ( counts[k] > counts[best] )
      best = k;
  mDelimiter = candidates[best];
  return true;
}

bool CsvReader::parseRecord( bool atEof, int &end, bool &malformed )
{
  mFields.clear();
  mFieldEnds.clear();
  mMalformedReason.clear();
  const char *b = mBuf.data();
  const char d = mDelimiter;
  int p = mPos;
  int newlines = 0;
  bool inQuotes = false;
  bool fieldStart = true;
  bool nul = false;
  auto endField = [&] { mFieldEnds.push_back( static_cast<int>( mFields.size() ) ); };
  for ( ;; )
  {
    if ( p >= mEnd )
    {
      if ( !atEof )
        return false;
      endField();
      end = mEnd;
      mLine += newlines;
      if ( inQuotes )
      {
        malformed = true;
        mMalformedReason = QStringLiteral( "truncated_record" );
        mMalformedRaw = QByteArray( b + mPos, std::min( mEnd - mPos, kRawLimit ) );
      }
      return true;
    }
    if ( p - mPos > maxRecordBytes() )
    {
      // A quote that never closes would swallow the rest of the file: give up on this record
      // and resume on the line after the one it started on.
      int nl = mPos;
      while ( nl < mEnd && b[nl] != '\n' )
        ++nl;
      malformed = true;
      mMalformedReason = inQuotes ? QStringLiteral( "unterminated_quote" ) : QStringLiteral( "record_too_long" );
      mMalformedRaw = QByteArray( b + mPos, std::min( nl - mPos, kRawLimit ) );
      end = std::min( nl + 1, mEnd );
      mLine += 1;
      return true;
    }
    const char c = b[p];
    if ( inQuotes )
    {
      if ( c == '"' )
      {
        if ( p + 1 >= mEnd && !atEof )
          return false;
        if ( p + 1 < mEnd && b[p + 1] == '"' )
        {
          mFields.push_back( '"' );
          p += 2;
          continue;
        }
        inQuotes = false;
        ++p;
        continue;
      }
      if ( c == '\r' )
      {
        if ( p + 1 >= mEnd && !atEof )
          return false;
        if ( p + 1 < mEnd && b[p + 1] == '\n' )
        {
          ++p; // CRLF inside a cell becomes LF
          continue;
        }
      }
      else if ( c == '\n' )
        ++newlines;
      else if ( c == 0 )
        nul = true;
      mFields.push_back( c );
      ++p;
      continue;
    }
    if ( c == d )
    {
      endField();
      fieldStart = true;
      ++p;
      continue;
    }
    if ( c == '\n' || c == '\r' )
    {
      if ( c == '\r' )
      {
        if ( p + 1 >= mEnd && !atEof )
          return false;
        if ( p + 1 < mEnd && b[p + 1] == '\n' )
          ++p;
      }
      endField();
      ++newlines;
      end = p + 1;
      mLine += newlines;
      break;
    }
    if ( c == '"' && fieldStart )
    {
      inQuotes = true;
      fieldStart = false;
      ++p;
      continue;
    }
    if ( c == 0 )
      nul = true;
    fieldStart = false;
    // Fast path: copy the run of plain characters at once.
    int q = p + 1;
    while ( q < mEnd )
    {
      const char e = b[q];
      if ( e == d || e == '\n' || e == '\r' || e == 0 )
        break;
      ++q;
    }
    mFields.insert( mFields.end(), b + p, b + q );
    p = q;
  }
  if ( nul )
  {
    malformed = true;
    mMalformedReason = QStringLiteral( "binary_data" );
    mMalformedRaw = QByteArray( b + mPos, std::min( end - mPos, kRawLimit ) ).replace( '\0', "\\0" );
  }
  return true;
}

void CsvReader::toLatin1Fields()
{
  std::vector<char> converted;
  converted.reserve( mFields.size() * 2 );
  std::vector<int> ends;
  ends.reserve( mFieldEnds.size() );
  size_t i = 0;
  for ( int fe : mFieldEnds )
  {
    for ( ; i < static_cast<size_t>( fe ); ++i )
    {
      const unsigned char c = static_cast<unsigned char>( mFields[i] );
      if ( c < 0x80 )
        converted.push_back( static_cast<char>( c ) );
      else
      {
        converted.push_back( static_cast<char>( 0xC0 | ( c >> 6 ) ) );
        converted.push_back( static_cast<char>( 0x80 | ( c & 0x3F ) ) );
      }
    }
    ends.push_back( static_cast<int>( converted.size() ) );
  }
  mFields.swap( converted );
  mFieldEnds.swap( ends );
}

CsvReader::Status CsvReader::next()
{
  if ( !mError.isEmpty() )
    return Status::Error;
  for ( ;; )
  {
    if ( mPos >= mEnd )
    {
      if ( mEof )
        return Status::End;
      if ( !fill() )
        return Status::Error;
      continue;
    }
    int end = 0;
    bool malformed = false;
    const qint64 lineBefore = mLine;
    if ( !parseRecord( mEof, end, malformed ) )
    {
      mLine = lineBefore;
      if ( !fill() )
        return Status::Error;
      continue;
    }
    mRecordLine = lineBefore;
    mRecordStart = mPos;
    mRecordEnd = end;
    mPos = end;
    mLatin1 = false;
    if ( malformed )
      return Status::Malformed;
    if ( mFieldEnds.size() == 1 && mFields.empty() )
      continue; // blank line
    // Eight bytes at a time: any byte with its high bit set is not ASCII.
    bool ascii = true;
    const char *f = mFields.data();
    const size_t size = mFields.size();
    size_t i = 0;
    for ( quint64 word; ascii && i + 8 <= size; i += 8 )
    {
      std::memcpy( &word, f + i, 8 );
      ascii = ( word & 0x8080808080808080ULL ) == 0;
    }
    for ( ; ascii && i < size; ++i )
      ascii = static_cast<unsigned char>( f[i] ) < 0x80;
    if ( !ascii && !isValidUtf8( reinterpret_cast<const unsigned char *>( mFields.data() ), mFields.size() ) )
    {
      toLatin1Fields();
      mLatin1 = true;
    }
    return Status::Record;
  }
}

QStringList CsvReader::fields() const
{
  QStringList out;
  out.reserve( fieldCount() );
  for ( int i = 0; i < fieldCount(); ++i )
    out << field( i );
  return out;
}

QByteArray CsvReader::rawRecord() const
{
  if ( !mMalformedReason.isEmpty() )
    return mMalformedRaw;
  int end = mRecordEnd;
  while ( end > mRecordStart && ( mBuf[end - 1] == '\n' || mBuf[end - 1] == '\r' ) )
    --end;
  return QByteArray( mBuf.data() + mRecordStart, std::min( end - mRecordStart, kRawLimit ) );
}

} // namespace statdesk::ingest
