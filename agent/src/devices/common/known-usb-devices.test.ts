import { describe, expect, it } from 'vitest';
import { identifyUsbDevice, KNOWN_USB_DEVICES, knownUsbDevice } from './known-usb-devices';

describe('known USB devices (devices.md §6)', () => {
  it('names a listed id and gives its kind', () => {
    expect(identifyUsbDevice('04B8', '0E15', [])).toEqual({ kind: 'receipt-printer', knownAs: 'Epson TM-T20II', source: 'usb.ids' });
    expect(identifyUsbDevice('1a86', '7523', [0xff])).toMatchObject({ kind: 'usb-serial', knownAs: 'CH340 USB-serial adapter' });
    expect(identifyUsbDevice('0483', '5740', [2, 10])).toMatchObject({ kind: 'cdc-acm' });
  });

  it('takes a whole vendor where the table has a * row, marking a single-source one', () => {
    expect(identifyUsbDevice('2912', '0005', [2, 10])).toEqual({ kind: 'fiscal', knownAs: 'ATOL fiscal register', source: 'single-source' });
    expect(identifyUsbDevice('154f', '1300', [])).toMatchObject({ kind: 'receipt-printer', knownAs: 'SNBC printer' });
  });

  it('an exact row wins over the vendor row', () => {
    const table = [...KNOWN_USB_DEVICES, { vendorId: '04b8', productId: '*', name: 'Epson device', kind: 'other' as const, source: 'usb.ids' as const }];
    expect(knownUsbDevice('04b8', '0e03', table)?.name).toBe('Epson TM-T20');
    expect(knownUsbDevice('04b8', '1234', table)?.name).toBe('Epson device');
  });

  it('tells an unlisted device by its interface classes (Shtrih-M, Xprinter ids are unknown)', () => {
    expect(identifyUsbDevice('1fc9', '0083', [7])).toEqual({ kind: 'printer-class' });
    expect(identifyUsbDevice('1fc9', '0083', [2, 10])).toEqual({ kind: 'cdc-acm' });
    expect(identifyUsbDevice('046d', 'c31c', [3])).toEqual({ kind: 'other' });
    // an Epson product id not in the table is not guessed to be a printer
    expect(identifyUsbDevice('04b8', '1234', [0xff])).toEqual({ kind: 'other' });
  });
});
