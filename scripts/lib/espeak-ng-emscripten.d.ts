/**
 * @module
 * Types for the part of `@echogarden/espeak-ng-emscripten` (espeak-ng compiled by Emscripten; the package ships
 * none) that scripts/lib/speech.ts uses: the module factory and its WebIDL-bound synthesiser.
 */
declare module '@echogarden/espeak-ng-emscripten' {
  export interface ESpeakNGWorker {
    /** Always answers 0; an unknown voice is reported on `printErr` instead. */
    set_voice(name: string, language: string, gender: number, age: number): number;
    set_rate(wordsPerMinute: number): void;
    set_pitch(pitch: number): void;
    get_samplerate(): number;
    /** Calls back with copies of 16-bit PCM chunks; a true return stops the synthesis. */
    synthesize(text: string, onChunk: (samples: Int16Array, events: unknown[]) => boolean): void;
  }

  export interface ESpeakNGModule {
    eSpeakNGWorker: new () => ESpeakNGWorker;
  }

  export default function initialize(options?: {
    print?: (line: string) => void;
    printErr?: (line: string) => void;
  }): Promise<ESpeakNGModule>;
}
