import { describe, expect, it } from 'vitest';
import { identificationToneWav } from '../../provisioning/network/index.js';

function samples(wav: Buffer): number[] {
  const out: number[] = [];
  for (let i = 44; i < wav.length; i += 2) out.push(wav.readInt16LE(i));
  return out;
}

/** Runs of sound separated by silence: the beeps. */
function beeps(pcm: number[], sampleRate: number): Array<{ start: number; length: number }> {
  const runs: Array<{ start: number; length: number }> = [];
  const minGap = sampleRate / 100; // 10 ms of silence splits two beeps
  let quiet = Infinity;
  pcm.forEach((v, i) => {
    if (Math.abs(v) > 100) {
      if (quiet >= minGap) runs.push({ start: i, length: 0 });
      runs.at(-1)!.length = i - runs.at(-1)!.start + 1;
      quiet = 0;
    } else quiet++;
  });
  return runs;
}

describe('the identification tone', () => {
  it('is a PCM mono WAV with a correct RIFF header', () => {
    const wav = identificationToneWav();
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
    expect(wav.toString('ascii', 8, 12)).toBe('WAVE');
    expect(wav.toString('ascii', 12, 16)).toBe('fmt ');
    expect(wav.readUInt32LE(16)).toBe(16);
    expect(wav.readUInt16LE(20)).toBe(1); // PCM
    expect(wav.readUInt16LE(22)).toBe(1); // mono
    expect(wav.readUInt32LE(24)).toBe(8000);
    expect(wav.readUInt32LE(28)).toBe(16000); // byte rate
    expect(wav.readUInt16LE(32)).toBe(2);
    expect(wav.readUInt16LE(34)).toBe(16);
    expect(wav.toString('ascii', 36, 40)).toBe('data');
    expect(wav.readUInt32LE(40)).toBe(wav.length - 44);
  });

  it('is two short 1 kHz beeps, about 0.6 s in all, by default', () => {
    const pcm = samples(identificationToneWav());
    expect(pcm.length / 8000).toBeCloseTo(0.6, 2);
    const found = beeps(pcm, 8000);
    expect(found).toHaveLength(2);
    // 1 kHz at 8 kHz: a sign change every 4 samples, 2 per cycle.
    const first = pcm.slice(found[0]!.start, found[0]!.start + found[0]!.length);
    const crossings = first.slice(1).filter((v, i) => Math.sign(v) !== Math.sign(first[i]!) && v !== 0).length;
    expect(crossings / 2 / (first.length / 8000)).toBeGreaterThan(950);
    expect(crossings / 2 / (first.length / 8000)).toBeLessThan(1050);
  });

  it('gives the same bytes for the same options', () => {
    expect(identificationToneWav({ beeps: 3 }).equals(identificationToneWav({ beeps: 3 }))).toBe(true);
    expect(identificationToneWav({ beeps: 3 }).equals(identificationToneWav())).toBe(false);
  });

  it('follows its configuration: beep count, lengths and a 16 kHz rate', () => {
    const wav = identificationToneWav({ sampleRate: 16000, beeps: 3, beepMs: 100, gapMs: 50, tailMs: 0, frequencyHz: 800 });
    expect(wav.readUInt32LE(24)).toBe(16000);
    const pcm = samples(wav);
    expect(pcm.length).toBe(16 * (3 * 100 + 2 * 50));
    expect(beeps(pcm, 16000)).toHaveLength(3);
  });

  it('never clips: peaks stay at the configured level', () => {
    const pcm = samples(identificationToneWav({ level: 0.25 }));
    expect(Math.max(...pcm.map(Math.abs))).toBeLessThanOrEqual(Math.round(0.25 * 32767));
  });

  it('refuses settings a telephone line cannot carry, naming the field', () => {
    expect(() => identificationToneWav({ frequencyHz: 5000 })).toThrow(/3\.4 kHz/);
    expect(() => identificationToneWav({ sampleRate: 44100 as 8000 })).toThrow(/sampleRate/);
    expect(() => identificationToneWav({ beeps: 0 })).toThrow(/beeps/);
    expect(() => identificationToneWav({ volume: 1 } as never)).toThrow(/volume/);
  });
});
