// The platforms a .vsix is built for (vsce --target), each with the better-sqlite3 prebuild it
// carries. better-sqlite3 ships every prebuild inside its npm package (prebuilds/<name>.node); the
// packager copies only the target's one and checks that the file really is for that platform.

export interface PackageTarget {
  /** vsce's --target */
  target: string;
  /** better-sqlite3's prebuilds/<prebuild>.node */
  prebuild: string;
  format: 'elf' | 'macho' | 'pe';
  arch: 'x64' | 'arm64';
  libc?: 'glibc' | 'musl';
}

export const PACKAGE_TARGETS: readonly PackageTarget[] = [
  { target: 'linux-x64', prebuild: 'linux-x64', format: 'elf', arch: 'x64', libc: 'glibc' },
  { target: 'linux-arm64', prebuild: 'linux-arm64', format: 'elf', arch: 'arm64', libc: 'glibc' },
  { target: 'alpine-x64', prebuild: 'linuxmusl-x64', format: 'elf', arch: 'x64', libc: 'musl' },
  { target: 'darwin-x64', prebuild: 'darwin-x64', format: 'macho', arch: 'x64' },
  { target: 'darwin-arm64', prebuild: 'darwin-arm64', format: 'macho', arch: 'arm64' },
  { target: 'win32-x64', prebuild: 'win32-x64', format: 'pe', arch: 'x64' },
];

/** vsce's name for the platform this runs on (alpine-* under musl), supported or not. */
export function currentTarget(platform: string = process.platform, arch: string = process.arch, musl: boolean = isMusl()): string {
  return `${platform === 'linux' && musl ? 'alpine' : platform}-${arch}`;
}

function isMusl(): boolean {
  if (process.platform !== 'linux') return false;
  const report = process.report.getReport() as { header?: { glibcVersionRuntime?: string } };
  return report.header?.glibcVersionRuntime === undefined;
}

const ELF_MACHINE = { x64: 0x3e, arm64: 0xb7 };
const MACHO_CPU = { x64: 0x01000007, arm64: 0x0100000c };
const PE_MACHINE = { x64: 0x8664, arm64: 0xaa64 };

/**
 * Why this binary is not the target's (wrong format, architecture or C library), or undefined when
 * it is: a prebuild renamed or swapped upstream must fail the package, not crash on a user's machine.
 */
export function binaryMismatch(binary: Buffer, t: PackageTarget): string | undefined {
  if (t.format === 'elf') {
    if (binary.readUInt32BE(0) !== 0x7f454c46) return 'is not an ELF shared library';
    if (binary.readUInt16LE(18) !== ELF_MACHINE[t.arch]) return `is not built for ${t.arch} (ELF machine 0x${binary.readUInt16LE(18).toString(16)})`;
    const musl = binary.includes('ld-musl-') || binary.includes('libc.musl-');
    if (musl !== (t.libc === 'musl')) return `links against ${musl ? 'musl' : 'glibc'}, not ${t.libc}`;
    return undefined;
  }
  if (t.format === 'macho') {
    if (binary.readUInt32LE(0) !== 0xfeedfacf) return 'is not a 64-bit Mach-O library';
    if (binary.readUInt32LE(4) !== MACHO_CPU[t.arch]) return `is not built for ${t.arch} (Mach-O cputype 0x${binary.readUInt32LE(4).toString(16)})`;
    return undefined;
  }
  if (binary.toString('latin1', 0, 2) !== 'MZ') return 'is not a Windows DLL';
  const pe = binary.readUInt32LE(0x3c);
  if (binary.readUInt32BE(pe) !== 0x50450000) return 'is not a Windows DLL (no PE header)';
  if (binary.readUInt16LE(pe + 4) !== PE_MACHINE[t.arch]) return `is not built for ${t.arch} (PE machine 0x${binary.readUInt16LE(pe + 4).toString(16)})`;
  return undefined;
}
