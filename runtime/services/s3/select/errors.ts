/**
 * The errors of SelectObjectContent, by code, with the descriptions of S3's error-code list
 * ("List of SELECT Object Content error codes"). All are the client's (400). Those found
 * before the answer starts (the request, the SQL, the header row) are HTTP errors; those met
 * while records stream (a failed CAST, a malformed record) end the event stream with an
 * error message carrying the same code and text.
 */
import { errorsOf, type ErrorCatalog } from '../../../aws/error-catalog.js';
import type { ServiceError } from '../../../aws/errors.js';

const MESSAGES = {
  CastFailed: 'Attempt to convert from one data type to another using CAST failed in the SQL expression.',
  CSVEscapingRecordDelimiter: "A quoted record delimiter was found in the file. To allow quoted record delimiters, set AllowQuotedRecordDelimiter to 'TRUE'.",
  CSVParsingError: 'Encountered an error parsing the CSV file. Check the file and try again.',
  EvaluatorInvalidArguments: 'Incorrect number of arguments in the function call in the SQL expression.',
  ExpressionTooLong: 'The SQL expression is too long: The maximum byte-length for the SQL expression is 256 KB.',
  IncorrectSqlFunctionArgumentType: 'Incorrect type of arguments in function call in the SQL expression.',
  InvalidColumnIndex: 'The column index is invalid. Please check the service documentation and try again.',
  InvalidCompressionFormat: 'The file is not in a supported compression format. Only GZIP and BZIP2 are supported.',
  InvalidDataType: 'The SQL expression contains an invalid data type.',
  InvalidExpressionType: 'The ExpressionType is invalid. Only SQL expressions are supported.',
  InvalidFileHeaderInfo: 'The FileHeaderInfo is invalid. Only NONE, USE, and IGNORE are supported.',
  InvalidJsonType: 'The JsonType is invalid. Only DOCUMENT and LINES are supported.',
  InvalidQuoteFields: 'The QuoteFields is invalid. Only ALWAYS and ASNEEDED are supported.',
  InvalidRequestParameter: 'The value of a parameter in SelectRequest element is invalid. Check the service API documentation and try again.',
  InvalidScanRange: 'The provided scan range is invalid.',
  JSONParsingError: 'Encountered an error parsing the JSON file. Check the file and try again.',
  LexerInvalidChar: 'The SQL expression contains an invalid character.',
  MissingHeaders: 'Some headers in the query are missing from the file. Check the file and try again.',
  MissingRequiredParameter: 'The SelectRequest entity is missing a required parameter. Check the service documentation and try again.',
  ObjectSerializationConflict:
    'The InputSerialization specified more than one format (CSV, JSON, or Parquet), or OutputSerialization specified more than one format (CSV or JSON). InputSerialization and OutputSerialization can only specify one format each.',
  OverMaxRecordSize: 'The length of a record in the input or result is greater than maxCharsPerRecord of 1 MB.',
  ParseAsteriskIsNotAloneInSelectList: 'Other expressions are not allowed in the SELECT list when * is used without dot notation in the SQL expression.',
  ParseExpectedExpression: 'Did not find the expected SQL expression.',
  ParseExpectedTokenType: 'The expected token was not found in the SQL expression.',
  ParseInvalidTypeParam: 'The SQL expression contains an invalid parameter value.',
  ParseUnexpectedToken: 'The SQL expression contains an unexpected token.',
  ParseUnsupportedCallWithStar: 'Only COUNT with (*) as a parameter is supported in the SQL expression.',
  UnsupportedFunction: 'Encountered an unsupported SQL function.',
  UnsupportedSqlOperation: 'Encountered an unsupported SQL operation.',
  UnsupportedScanRangeInput: 'Scan range queries are not supported on this type of object.',
  UnsupportedSyntax: 'Encountered invalid syntax.',
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
