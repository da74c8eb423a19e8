/**
 * \file CsvReader.h
 * A streaming CSV reader for city exports as they really are.
 */
#pragma once

#include "statdesk_core_export.h"

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace statdesk::ingest
{

/**
 * Reads a delimited text file record by record with a fixed-size buffer (never the whole file):
 * RFC 4180 quoting with delimiters, quotes and newlines inside quoted cells (KCPD's three-line
 * Location cells), CRLF or LF line ends, a UTF-8 byte order mark, the delimiter detected from the
 * header line (comma, semicolon, tab or bar).
 *
 * Each record is checked for UTF-8; a record that is not valid UTF-8 is read as Latin-1 and
 * wasLatin1() says so. Fields are handed out as UTF-8 bytes that stay valid until the next call
 * to next().
 *
 * A record that cannot be read (a quote left open at the end of the file, a record longer than
 * maxRecordBytes(), NUL bytes) comes back as Malformed with a reason and its raw text; reading
 * resumes on the next line, so one bad row never hides the rest of the file.
 *
 * Not thread-safe; one reader per thread.
 */
class STATDESK_CORE_EXPORT CsvReader
{
  public:
    enum class Status
    {
      Record,    //!< a record is available
      Malformed, //!< a record could not be read: see malformedReason() and rawRecord()
      End,       //!< no more records
      Error,     //!< I/O error: see errorString()
    };

    CsvReader();
    ~CsvReader();
    CsvReader( const CsvReader & ) = delete;
    CsvReader &operator=( const CsvReader & ) = delete;

    /**
     * Opens \a path and sniffs it. Refuses, with errorString(), an empty file, a binary file
     * (NUL bytes or mostly control characters at its start) and UTF-16 text.
     * \a delimiter 0 = detect from the first line.
     */
    bool open( const QString &path, char delimiter = 0 );
    //! Reads from an in-memory copy (tests, previews).
    bool openData( const QByteArray &data, char delimiter = 0 );

    Status next();

    int fieldCount() const { return static_cast<int>( mFieldEnds.size() ); }
    const char *fieldData( int i ) const { return mFields.data() + ( i == 0 ? 0 : mFieldEnds[i - 1] ); }
    int fieldSize( int i ) const { return mFieldEnds[i] - ( i == 0 ? 0 : mFieldEnds[i - 1] ); }
    QString field( int i ) const { return QString::fromUtf8( fieldData( i ), fieldSize( i ) ); }
    QStringList fields() const;

    //! Physical line (1-based) where the current record starts.
    qint64 lineNumber() const { return mRecordLine; }
    //! The current record's bytes as they are in the file (for rejects), at most 64 KiB.
    QByteArray rawRecord() const;
    QString malformedReason() const { return mMalformedReason; }
    bool wasLatin1() const { return mLatin1; }

    char delimiter() const { return mDelimiter; }
    qint64 bytesConsumed() const { return mConsumedBefore + mPos; }
    qint64 size() const { return mSize; }
    QString errorString() const { return mError; }
    //! SHA-256 of the bytes read so far (of the whole file once next() returned End).
    QByteArray sha256() const;

    static constexpr int maxRecordBytes() { return 1 << 20; }

  private:
    bool sniff( char delimiter );
    bool fill();
    //! Parses one record from mPos; returns false when more data is needed.
    bool parseRecord( bool atEof, int &end, bool &malformed );
    void toLatin1Fields();

    QFile mFile;
    QByteArray mMemory;
    bool mFromMemory = false;
    std::vector<char> mBuf;
    int mPos = 0;
    int mEnd = 0;
    bool mEof = false;
    qint64 mConsumedBefore = 0;
    qint64 mSize = 0;
    qint64 mLine = 1;
    qint64 mRecordLine = 1;
    int mRecordStart = 0;
    int mRecordEnd = 0;
    char mDelimiter = ',';
    std::vector<char> mFields;
    std::vector<int> mFieldEnds;
    bool mLatin1 = false;
    QString mMalformedReason;
    QByteArray mMalformedRaw;
    QString mError;
    class Sha256;
    std::unique_ptr<Sha256> mSha;
};

} // namespace statdesk::ingest
