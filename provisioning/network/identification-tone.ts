import { z } from 'zod';

/** How the identification tone (識別音) sounds; every field is configurable, the defaults are two short 1 kHz beeps. */
export const ToneOptions = z
  .object({
    sampleRate: z.union([z.literal(8000), z.literal(16000)]).default(8000),
    frequencyHz: z.number().min(100).max(3400, 'telephone audio stops at 3.4 kHz').default(1000),
    beeps: z.number().int().min(1).max(10).default(2),
    beepMs: z.number().int().min(20).max(2000).default(200),
    gapMs: z.number().int().min(0).max(2000).default(100),
    /** Silence after the last beep, so the tone is not cut by the connecting call. */
    tailMs: z.number().int().min(0).max(2000).default(100),
    /** Peak level, 0..1 of full scale; below 1 so codecs do not clip. */
    level: z.number().gt(0).max(1).default(0.5),
  })
  .strict();
export type ToneOptions = z.input<typeof ToneOptions>;

/**
 * Who hears the tone on which kind of call. Both directions are on by default: the 2019 rules for
 * fixed-number cloud services make the tone the norm, and an operator switches one off only knowingly.
 */
export const TonePolicy = z
  .object({
    /** Outbound from a handset: the handset hears it, and the called party hears it on answer (a whisper). */
    outbound: z.boolean().default(true),
    /** Inbound to a shelter number: the caller hears it before the shelter's phones ring. */
    inbound: z.boolean().default(true),
  })
  .strict();
export type TonePolicy = z.infer<typeof TonePolicy>;
export const DEFAULT_TONE_POLICY: TonePolicy = { outbound: true, inbound: true };

/** Ramps at each beep's ends, so the beeps do not click. */
const RAMP_MS = 5;

/** The tone as a WAV file: RIFF/WAVE, 16-bit PCM, mono. Same options, same bytes. */
export function identificationToneWav(options: ToneOptions = {}): Buffer {
  const parsed = ToneOptions.safeParse(options);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RangeError(`identification tone: ${issue.path.join('.') || 'options'}: ${issue.message}`);
  }
  const o = parsed.data;
  const perMs = o.sampleRate / 1000;
  const beepSamples = Math.round(o.beepMs * perMs);
  const gapSamples = Math.round(o.gapMs * perMs);
  const total = o.beeps * beepSamples + (o.beeps - 1) * gapSamples + Math.round(o.tailMs * perMs);
  const ramp = Math.max(1, Math.round(RAMP_MS * perMs));
  const pcm = Buffer.alloc(total * 2);
  for (let b = 0; b < o.beeps; b++) {
    const start = b * (beepSamples + gapSamples);
    for (let i = 0; i < beepSamples; i++) {
      const envelope = Math.min(1, i / ramp, (beepSamples - 1 - i) / ramp);
      const v = Math.sin((2 * Math.PI * o.frequencyHz * i) / o.sampleRate) * envelope * o.level;
      pcm.writeInt16LE(Math.round(v * 32767), (start + i) * 2);
    }
  }
  return Buffer.concat([wavHeader(pcm.length, o.sampleRate), pcm]);
}

/** The 44-byte canonical header of a PCM WAV file. */
function wavHeader(dataBytes: number, sampleRate: number): Buffer {
  const channels = 1;
  const bitsPerSample = 16;
  const blockAlign = (channels * bitsPerSample) / 8;
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'ascii');
  h.writeUInt32LE(36 + dataBytes, 4);
  h.write('WAVE', 8, 'ascii');
  h.write('fmt ', 12, 'ascii');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20); // PCM
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * blockAlign, 28);
  h.writeUInt16LE(blockAlign, 32);
  h.writeUInt16LE(bitsPerSample, 34);
  h.write('data', 36, 'ascii');
  h.writeUInt32LE(dataBytes, 40);
  return h;
}
