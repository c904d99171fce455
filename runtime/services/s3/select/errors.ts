/**
 * The errors of SelectObjectContent, by code, with the descriptions of S3's error-code list
 * ("List of SELECT Object Content Error Codes" in the S3 API reference's Error responses). All are the client's (400). Those found
 * before the answer starts (the request, the SQL, the header row) are HTTP errors; those met
 * while records stream (a failed CAST, a malformed record) end the event stream with an
 * error message carrying the same code and text.
 */
import { errorsOf, type ErrorCatalog } from '../../../aws/error-catalog.js';
import type { ServiceError } from '../../../aws/errors.js';

const MESSAGES = {
  AmbiguousFieldName: 'The field name matches to multiple fields in the file. Check the SQL expression and the file, and try again.',
  CastFailed: 'An attempt to convert from one data type to another using CAST failed in the SQL expression.',
  CSVEscapingRecordDelimiter: "A quoted record delimiter was found in the file. To allow quoted record delimiters, set AllowQuotedRecordDelimiter to 'TRUE'.",
  CSVParsingError: 'An error occurred while parsing the CSV file. Check the file and try again.',
  EvaluatorInvalidArguments: 'There is an incorrect number of arguments in the function call in the SQL expression.',
  EvaluatorLikePatternInvalidEscapeSequence: 'An argument given to the LIKE expression was not valid.',
  EvaluatorInvalidTimestampFormatPatternSymbol: 'The timestamp format pattern contains a symbol in the SQL expression that is not valid.',
  EvaluatorNegativeLimit: 'LIMIT must not be negative.',
  EvaluatorUnterminatedTimestampFormatPatternToken: 'The timestamp format pattern contains an unterminated token in the SQL expression.',
  ExpressionTooLong: 'The SQL expression is too long. The maximum byte-length for an SQL expression is 256 KB.',
  IncorrectSqlFunctionArgumentType: 'An incorrect argument type was specified in a function call in the SQL expression.',
  InvalidColumnIndex: 'The column index in the SQL expression is not valid.',
  InvalidCompressionFormat: 'The file is not in a supported compression format. Only GZIP and BZIP2 are supported.',
  InvalidDataType: 'The SQL expression contains a data type that is not valid.',
  InvalidExpressionType: 'The ExpressionType value is not valid. Only SQL expressions are supported.',
  InvalidFileHeaderInfo: 'The FileHeaderInfo value is not valid. Only NONE, USE, and IGNORE are supported.',
  InvalidJsonType: 'The JsonType value is not valid. Only DOCUMENT and LINES are supported.',
  InvalidQuoteFields: 'The QuoteFields value is not valid. Only ALWAYS and ASNEEDED are supported.',
  InvalidScanRange: 'The provided scan range is not valid.',
  JSONParsingError: 'An error occurred while parsing the JSON file. Check the file and try again.',
  LexerInvalidChar: 'The SQL expression contains a character that is not valid.',
  // not in the documented list, but what S3 answers for a column the header row lacks
  MissingHeaders: 'Some headers in the query are missing from the file. Please check the file and try again.',
  MissingRequiredParameter: 'The SelectRequest entity is missing a required parameter. Check the service documentation and try again.',
  ObjectSerializationConflict:
    'InputSerialization specifies more than one format (CSV, JSON, or Parquet), or OutputSerialization specifies more than one format (CSV or JSON). For InputSerialization and OutputSerialization, you can specify only one format for each.',
  OverMaxRecordSize: 'The length of a record in the input or result is greater than the maxCharsPerRecord limit of 1 MB.',
  ParseAsteriskIsNotAloneInSelectList: 'Other expressions are not allowed in the SELECT list when * is used without dot notation in the SQL expression.',
  ParseExpectedDatePart: 'The expected date part in the SQL expression was not found.',
  ParseExpectedExpression: 'The expected SQL expression was not found.',
  ParseExpectedIdentForGroupName: 'GROUP is not supported in the SQL expression.',
  ParseExpectedTokenType: 'The expected token in the SQL expression was not found.',
  ParseExpectedTypeName: 'The expected type name in the SQL expression was not found.',
  ParseMalformedJoin: 'JOIN is not supported in the SQL expression.',
  ParseNonUnaryAgregateFunctionCall: 'Only one argument is supported for aggregate functions in the SQL expression.',
  ParseSelectMissingFrom: 'The SQL expression contains a missing FROM after the SELECT list.',
  ParseUnexpectedToken: 'The SQL expression contains an unexpected token.',
  ParseUnsupportedCallWithStar: 'Only COUNT with (*) as a parameter is supported in the SQL expression.',
  TruncatedInput: 'Object decompression failed. Check that the object is properly compressed using the format specified in the request.',
  UnsupportedFunction: 'S3 encountered an unsupported SQL function.',
  UnsupportedScanRangeInput: 'Scan range queries are not supported on this type of object.',
  UnsupportedSqlOperation: 'S3 encountered an unsupported SQL operation.',
  UnsupportedSyntax: 'The syntax is not valid.',
  ValueParseFailure: 'A timestamp parse failure occurred in the SQL expression.',
} as const;

export type SelectErrorCode = keyof typeof MESSAGES;

const CATALOG = Object.fromEntries(Object.keys(MESSAGES).map((code) => [code, { code, status: 400, sender: true }])) as {
  readonly [C in SelectErrorCode]: { readonly code: C; readonly status: 400; readonly sender: true };
} satisfies ErrorCatalog;

const selectErrorOf = errorsOf(CATALOG);

/** The error `code` with S3's text for it. */
export function selectError(code: SelectErrorCode): ServiceError {
  return selectErrorOf(code, MESSAGES[code]);
}
