import { catchesSignal, isFresh, keptFigures, parseProbeAnswer } from '../../../bench/heapProbe';

const MB = 2 ** 20;

describe("the heap probe's answer file", () => {
	it('reads a heap answer and an error answer', () => {
		const heap = { pid: 42, seq: 3, usedHeapSize: 200 * MB, gcMs: 80 };
		expect(parseProbeAnswer(JSON.stringify(heap))).toEqual(heap);
		const error = { pid: 42, seq: 1, error: 'global.gc is not exposed' };
		expect(parseProbeAnswer(JSON.stringify(error))).toEqual(error);
	});

	it('is no answer when the file is absent, cut or not the probe’s', () => {
		expect(parseProbeAnswer(null)).toBeNull();
		expect(parseProbeAnswer('')).toBeNull();
		expect(parseProbeAnswer('{"pid":42,"seq":3,"usedHeap')).toBeNull();
		expect(parseProbeAnswer('[1,2]')).toBeNull();
		expect(parseProbeAnswer('null')).toBeNull();
		expect(parseProbeAnswer('{"pid":42,"usedHeapSize":1}')).toBeNull();
		expect(parseProbeAnswer('{"pid":42,"seq":1}')).toBeNull();
	});

	it('takes an answer as fresh only from that process and past the one seen before the signal', () => {
		const a = (pid: number, seq: number) => ({ pid, seq, usedHeapSize: 1 });
		expect(isFresh(a(42, 1), null, 42)).toBe(true);
		expect(isFresh(a(42, 4), a(42, 3), 42)).toBe(true);
		// the same answer as before the signal: the probe has not answered yet
		expect(isFresh(a(42, 3), a(42, 3), 42)).toBe(false);
		// another process's (an n8n before a restart, a CLI command): its numbers say nothing
		expect(isFresh(a(7, 9), null, 42)).toBe(false);
		expect(isFresh(a(42, 1), a(7, 9), 42)).toBe(true);
		expect(isFresh(null, a(42, 3), 42)).toBe(false);
	});
});

describe('whether a process catches a signal, from its /proc status', () => {
	// node 24 without a SIGUSR2 listener, then with one (bit 12 − 1 = 0x800)
	const status = (mask: string) => `Name:\tnode\nSigBlk:\t0000000000000000\nSigCgt:\t${mask}\n`;

	it('reads the bit of the signal in SigCgt', () => {
		expect(catchesSignal(status('0000000100004602'), 12)).toBe(false);
		expect(catchesSignal(status('0000000100004e02'), 12)).toBe(true);
		expect(catchesSignal(status('0000000100004602'), 10)).toBe(true);
		// a signal above 32 (the mask is 64 bits)
		expect(catchesSignal(status('0000000100004602'), 33)).toBe(true);
	});

	it('says null when the status has no mask', () => {
		expect(catchesSignal('Name:\tnode\n', 12)).toBeNull();
	});
});

describe('the kept figures of a run', () => {
	it('gives the heap after the collections before and after the run, and their difference', () => {
		expect(keptFigures({ usedBytes: 200 * MB }, { usedBytes: 203.46 * MB })).toEqual({
			heapAfterGcBeforeMb: 200,
			heapAfterGcAfterMb: 203.5,
			heapKeptMb: 3.5,
		});
		// n8n can keep less than before (a cache it dropped)
		expect(keptFigures({ usedBytes: 200 * MB }, { usedBytes: 199 * MB }).heapKeptMb).toBe(-1);
	});

	it('gives no difference when one side has no answer, and says why', () => {
		expect(
			keptFigures({ usedBytes: 200 * MB }, { unavailable: 'no answer from the probe within 30 s' }),
		).toEqual({
			heapAfterGcBeforeMb: 200,
			heapAfterGcUnavailable: 'after the run: no answer from the probe within 30 s',
		});
		expect(keptFigures({ unavailable: 'n8n is not running' }, { unavailable: 'idem' })).toEqual({
			heapAfterGcUnavailable: 'before the run: n8n is not running; after the run: idem',
		});
	});
});
