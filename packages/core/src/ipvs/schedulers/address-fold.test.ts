import { describe, expect, it } from 'vitest';
import { addressFold32 } from './address-fold.js';

describe('addressFold32', () => {
  it('is the IPv4 address as a number and the XOR of the IPv6 words', () => {
    expect(addressFold32('10.0.0.1')).toBe(0x0a000001);
    expect(addressFold32('255.255.255.255')).toBe(0xffffffff);
    expect(addressFold32('::1')).toBe(1);
    expect(addressFold32('fd00::1')).toBe(0xfd000001);
    expect(addressFold32('fd00:0:0:1:0:0:0:1')).toBe(0xfd000000);
    expect(addressFold32('[fd00::1]')).toBe(0xfd000001);
    expect(addressFold32('not-an-ip')).toBeNull();
  });
});
