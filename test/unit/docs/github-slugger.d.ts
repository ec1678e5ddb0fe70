// github-slugger 1.x ships no types: the part the link test uses.
declare module 'github-slugger' {
	class GithubSlugger {
		slug(value: string, maintainCase?: boolean): string;
		reset(): void;
	}
	export = GithubSlugger;
}
