// Windows: USB devices and serial ports from one PowerShell run: Win32_PnPEntity (what
// Get-PnpDevice wraps) for USB devices and the Ports class, and the SERIALCOMM registry key for
// every COM name, printed as JSON so the locale does not change the shape.
import type { SerialPortFacts, StructuredExchange, UsbDeviceFacts } from '@tillscope/shared';
import type { HostOs } from '../../../os/host-os';
import { describeCommandFailure } from '../../../os/run-command';
import { POWERSHELL, powershellArgs } from '../../common/host-powershell';
import { toolExchange } from '../../common/host-report';
import { identifyUsbDevice } from '../../common/known-usb-devices';
import { classesOfCompatibleIds, cleanText, comPortOfName, isHubByCompatibleIds, parseInstanceId, parseWindowsPeripherals, type InstanceId, type PnpEntity, type WindowsPeripheralsJson } from './protocol';
import { MAX_SERIAL, MAX_USB, type PeripheralScan } from './scan';

/** The Ports (COM & LPT) device setup class: its GUID, not its localized name. */
const PORTS_CLASS_GUID = '{4d36e978-e325-11ce-bfc1-08002be10318}';

/**
 * The listing (run through common/host-powershell.ts, which forces UTF-8 output). `@(…)` keeps one
 * result a list. No double quote anywhere: the script is one -Command argument, and a quote inside
 * it would need escaping that Windows PowerShell's command line parsing does not undo the same way.
 */
export const WINDOWS_SCRIPT = [
  "$ErrorActionPreference = 'Stop'",
  `$pnp = @(Get-CimInstance -ClassName Win32_PnPEntity -Filter 'PNPDeviceID LIKE ''USB\\\\%'' OR ClassGuid = ''${PORTS_CLASS_GUID}''' | Select-Object Name,PNPDeviceID,Manufacturer,PNPClass,ClassGuid,Service,Status,CompatibleID)`,
  "$key = Get-ItemProperty -Path 'HKLM:\\HARDWARE\\DEVICEMAP\\SERIALCOMM' -ErrorAction SilentlyContinue",
  '$com = @(); if ($key) { $com = @($key.PSObject.Properties | Where-Object { $_.Name -notlike \'PS*\' } | ForEach-Object { [pscustomobject]@{ Device = $_.Name; Port = [string]$_.Value } }) }',
  '[pscustomobject]@{ pnp = $pnp; serialcomm = $com } | ConvertTo-Json -Depth 4 -Compress',
].join('; ');

/** The arguments of the one PowerShell run. */
export const peripheralsArgs = (): string[] => powershellArgs(WINDOWS_SCRIPT);
const MAX_OUTPUT_BYTES = 2 * 1024 * 1024;

export async function scanWindows(os: HostOs, timeoutMs: number, signal: AbortSignal, now: () => number = Date.now): Promise<PeripheralScan> {
  const started = now();
  const result = await os.run({ file: POWERSHELL, args: peripheralsArgs(), timeoutMs, maxOutputBytes: MAX_OUTPUT_BYTES, signal });
  const elapsedMs = now() - started;
  const evidence = toolExchange(POWERSHELL, peripheralsArgs(), result, Math.max(0, elapsedMs));
  if (result.kind !== 'ok') return failed(describeCommandFailure(POWERSHELL, result), evidence);
  const parsed = parseWindowsPeripherals(result.stdout);
  if (!parsed.ok) return failed(`${POWERSHELL} ${parsed.reason}`, { ...evidence, valid: false });
  const { usb, serial } = peripheralsOfWindows(parsed.value);
  return { usb, serial, unchecked: [], exchanges: [evidence] };
}

function failed(reason: string, evidence: StructuredExchange): PeripheralScan {
  return { usb: null, serial: null, unchecked: [{ fact: 'usb', reason: reason.slice(0, 300) }, { fact: 'serial', reason: reason.slice(0, 300) }], exchanges: [evidence] };
}

interface Entity {
  raw: PnpEntity;
  id: InstanceId;
}

/** The script's JSON as USB devices and serial ports. Pure. */
export function peripheralsOfWindows(json: WindowsPeripheralsJson): { usb: UsbDeviceFacts[]; serial: SerialPortFacts[] } {
  const parsed = json.pnp.flatMap((raw) => {
    const id = parseInstanceId(raw.PNPDeviceID);
    return id ? [{ raw, id }] : [];
  });
  const usbEntities = parsed.filter((e) => e.id.enumerator === 'USB');
  // hubs are left out, as on Linux (bDeviceClass 09)
  const parents = usbEntities.filter((e) => e.id.interfaceNumber === undefined && !isHubByCompatibleIds(e.raw.CompatibleID));
  const ports = json.pnp.filter(isPortsClass);
  const usb = parents.slice(0, MAX_USB).map((parent) => usbDeviceOf(parent, usbEntities, parsed, ports));
  return { usb, serial: serialPortsOf(ports, json.serialcomm ?? [], usb) };
}

const sameIds = (a: InstanceId, b: InstanceId) => a.vendorId === b.vendorId && a.productId === b.productId;

const isPortsClass = (e: PnpEntity): boolean =>
  (typeof e.ClassGuid === 'string' && e.ClassGuid.toLowerCase() === PORTS_CLASS_GUID) || e.PNPClass === 'Ports';

function usbDeviceOf(parent: Entity, usbEntities: readonly Entity[], all: readonly Entity[], ports: readonly PnpEntity[]): UsbDeviceFacts {
  // A composite device's interfaces are its "&MI_xx" children; Win32_PnPEntity does not link them
  // to their parent, so two identical composite devices share the union of their classes.
  const children = usbEntities.filter((e) => e.id.interfaceNumber !== undefined && sameIds(e.id, parent.id));
  const interfaceClasses = [...new Set([parent, ...children].flatMap((e) => classesOfCompatibleIds(e.raw.CompatibleID)))].slice(0, 16);
  const { vendorId, productId, serial, instance } = parent.id;
  const identity = identifyUsbDevice(vendorId, productId, interfaceClasses);
  const devicePath = comOfDevice(parent, children, all, ports);
  const manufacturer = cleanText(parent.raw.Manufacturer, 200);
  const product = cleanText(parent.raw.Name, 200);
  return {
    key: (serial ? `${vendorId}:${productId}:${serial}` : `${vendorId}:${productId}@${instance}`).slice(0, 200),
    vendorId,
    productId,
    ...(manufacturer ? { manufacturer } : {}),
    ...(product ? { product } : {}),
    ...(serial ? { serial } : {}),
    interfaceClasses,
    kind: identity.kind,
    ...(identity.knownAs ? { knownAs: identity.knownAs } : {}),
    ...(devicePath ? { devicePath } : {}),
  };
}

/**
 * The COM name of a USB device: its own (a CDC-ACM device is itself in the Ports class), an
 * interface's, or that of the one Ports-class child of another bus driver (FTDIBUS\VID_0403+PID_6001+…)
 * with its ids, when exactly one USB device has those ids.
 */
function comOfDevice(parent: Entity, children: readonly Entity[], all: readonly Entity[], ports: readonly PnpEntity[]): string | undefined {
  for (const entity of [parent, ...children]) {
    const com = isPortsClass(entity.raw) ? comPortOfName(entity.raw.Name) : undefined;
    if (com) return com;
  }
  const twins = all.filter((e) => e.id.enumerator === 'USB' && e.id.interfaceNumber === undefined && sameIds(e.id, parent.id));
  if (twins.length !== 1) return undefined;
  const bridged = all.find((e) => e.id.enumerator !== 'USB' && sameIds(e.id, parent.id) && ports.includes(e.raw));
  return bridged ? comPortOfName(bridged.raw.Name) : undefined;
}

function serialPortsOf(ports: readonly PnpEntity[], serialcomm: readonly { Device: string; Port: string }[], usb: readonly UsbDeviceFacts[]): SerialPortFacts[] {
  const listed = new Map<string, SerialPortFacts>();
  for (const port of ports) {
    const path = comPortOfName(port.Name);
    if (!path || listed.has(path)) continue;
    const id = parseInstanceId(port.PNPDeviceID);
    const parent = usb.find((d) => d.devicePath === path);
    const identity = id ? identifyUsbDevice(id.vendorId, id.productId, classesOfCompatibleIds(port.CompatibleID)) : undefined;
    const manufacturer = cleanText(port.Manufacturer, 200);
    const knownAs = parent?.knownAs ?? identity?.knownAs;
    listed.set(path, {
      path,
      ...(id ? { vendorId: id.vendorId, productId: id.productId } : {}),
      ...(manufacturer ? { manufacturer } : {}),
      kind: parent?.kind ?? identity?.kind ?? 'other',
      ...(knownAs ? { knownAs } : {}),
    });
  }
  for (const value of serialcomm) {
    const path = /^COM\d{1,3}$/i.test(value.Port.trim()) ? value.Port.trim().toUpperCase() : undefined;
    if (path && !listed.has(path)) listed.set(path, { path, kind: 'other' });
  }
  return [...listed.values()].sort((a, b) => Number(a.path.slice(3)) - Number(b.path.slice(3))).slice(0, MAX_SERIAL);
}
