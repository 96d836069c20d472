// Types for the icon generator, so tests written in TypeScript can import it.
export declare function icoFromPngs(images: ReadonlyArray<{ size: number; png: Uint8Array }>): Buffer;
export declare function generateIcons(): Promise<Record<string, Buffer>>;
