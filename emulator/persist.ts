/** Optional JSON file persistence: load at start, write (debounced) on change and on stop. */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { OAuthSnapshot } from './oauth';
import type { StoreSnapshot } from './store';

export interface StateFile {
	version: 1;
	store: StoreSnapshot;
	oauth: OAuthSnapshot;
}

export class Persistence {
	private timer: NodeJS.Timeout | undefined;

	constructor(
		private file: string,
		private snapshot: () => StateFile,
		private debounceMs = 200,
	) {}

	load(): StateFile | undefined {
		if (!existsSync(this.file)) return undefined;
		const text = readFileSync(this.file, 'utf8');
		if (text.trim() === '') return undefined;
		return JSON.parse(text) as StateFile;
	}

	changed(): void {
		if (this.timer) return;
		this.timer = setTimeout(() => {
			this.timer = undefined;
			this.flush();
		}, this.debounceMs);
	}

	flush(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		mkdirSync(dirname(this.file), { recursive: true });
		const tmp = `${this.file}.${process.pid}.tmp`;
		writeFileSync(tmp, JSON.stringify(this.snapshot()));
		renameSync(tmp, this.file);
	}
}
