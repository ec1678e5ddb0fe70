import { statusKb } from '../../../bench/peakRss';

// the lines of a /proc/<pid>/status text as Linux 6 prints them (tab, spaces, kB)
const STATUS = [
	'Name:\tnode',
	'VmPeak:\t 11873492 kB',
	'VmSize:\t 11810164 kB',
	'VmHWM:\t  719876 kB',
	'VmRSS:\t  706376 kB',
	'RssAnon:\t  640120 kB',
	'Threads:\t14',
].join('\n');

describe("a process's resident memory from its /proc status", () => {
	it('reads the peak (VmHWM) and the current size (VmRSS) in kB, not VmPeak or RssAnon', () => {
		expect(statusKb(STATUS, 'VmHWM')).toBe(719_876);
		expect(statusKb(STATUS, 'VmRSS')).toBe(706_376);
	});

	it('says null when the line is absent (a kernel thread, another system)', () => {
		expect(statusKb('Name:\tkthreadd\nThreads:\t1\n', 'VmHWM')).toBeNull();
		expect(statusKb('', 'VmRSS')).toBeNull();
	});
});
