import { describe, expect, it } from 'vitest';
import { errorsOf, JSON_COMMON_ERRORS } from '../../runtime/aws/error-catalog.js';
import { SSM_ERRORS } from '../../runtime/services/ssm/errors.generated.js';
import { STS_ERRORS } from '../../runtime/services/sts/errors.generated.js';

describe('error catalogs generated from the SDK schemas', () => {
  it('a query service sends the query code, with the modelled status', () => {
    expect(STS_ERRORS.InvalidIdentityTokenException).toEqual({ code: 'InvalidIdentityToken', status: 400, sender: true });
    expect(STS_ERRORS.IDPRejectedClaimException).toEqual({ code: 'IDPRejectedClaim', status: 403, sender: true });
    expect(STS_ERRORS.RegionDisabledException.status).toBe(403);
  });

  it('a json service sends the shape name; server faults are 500 Receiver', () => {
    expect(SSM_ERRORS.ParameterNotFound).toEqual({ code: 'ParameterNotFound', status: 400, sender: true });
    expect(SSM_ERRORS.InternalServerError).toEqual({ code: 'InternalServerError', status: 500, sender: false });
    expect(Object.keys(SSM_ERRORS).length).toBeGreaterThan(100);
  });

  it('errorsOf builds ServiceErrors with the catalog status and fault', () => {
    const ssmError = errorsOf({ ...JSON_COMMON_ERRORS, ...SSM_ERRORS });
    const e = ssmError('InternalServerError', 'boom');
    expect({ code: e.code, status: e.status, sender: e.sender, message: e.message }).toEqual({ code: 'InternalServerError', status: 500, sender: false, message: 'boom' });
    expect(ssmError('ValidationException', 'bad').status).toBe(400);
  });
});
