// `npm run format`: the code's style (tabs, single quotes, trailing commas), at the line width the
// code is written to (lines run long where a message or a rule reads better whole).
module.exports = {
	useTabs: true,
	singleQuote: true,
	trailingComma: 'all',
	arrowParens: 'always',
	semi: true,
	printWidth: 140,
	endOfLine: 'lf',
};
