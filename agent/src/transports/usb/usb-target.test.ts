import { describe, expect, it } from 'vitest';
import { createDriverRegistry } from '../../devices/registry';
import { deviceConfigSchema } from '../../devices/device-config';
import { describeTarget, TransportTarget } from '../transport';

describe('USB transport target', () => {
  it('takes ids as lsusb prints them or as numbers, and describes them like lsusb', () => {
    const target = TransportTarget.parse({ kind: 'usb', vendorId: '04b8', productId: '0x0E15', serialNumber: 'X123' });
    expect(target).toEqual({ kind: 'usb', vendorId: 0x04b8, productId: 0x0e15, serialNumber: 'X123' });
    expect(describeTarget(target)).toBe('usb 04b8:0e15 serial X123');
    expect(describeTarget(TransportTarget.parse({ kind: 'usb', vendorId: 1208, productId: 3587 }))).toBe('usb 04b8:0e03');
    expect(describeTarget(TransportTarget.parse({ kind: 'usb', path: '/dev/usb/lp0' }))).toBe('/dev/usb/lp0');
  });

  it('wants either a usblp path or both ids, never both ways at once', () => {
    const issues = (raw: unknown) => TransportTarget.safeParse(raw).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(issues({ kind: 'usb', vendorId: '04b8' })).toEqual([expect.stringMatching(/^productId: required: "vendorId" and "productId"/)]);
    expect(issues({ kind: 'usb', path: '/dev/usb/lp0', vendorId: '04b8', productId: '0e03' })).toEqual([expect.stringMatching(/^path: give either "path"/)]);
    expect(issues({ kind: 'usb', vendorId: '4b8g', productId: '0e03' })).toEqual([expect.stringMatching(/^vendorId: a USB id/)]);
    expect(issues({ kind: 'usb', vendorId: 0x10000, productId: 1 })).toHaveLength(1);
  });

  it('is accepted in the config for the ESC/POS driver, refused for one without USB', () => {
    const schema = deviceConfigSchema(createDriverRegistry());
    const printer = schema.safeParse({ id: 'p1', driver: 'escpos', transport: { kind: 'usb', vendorId: '04b8', productId: '0e15' } });
    expect(printer.success).toBe(true);
    const register = schema.safeParse({ id: 'k1', driver: 'shtrih-m', transport: { kind: 'usb', path: '/dev/usb/lp0' } });
    expect(register.error?.issues.map((i) => i.path.join('.'))).toEqual(['transport.kind']);
  });
});
