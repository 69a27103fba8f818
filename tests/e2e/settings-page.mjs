// Opens the Aisle settings page in Debian's headless Chromium, logged in, and saves a
// screenshot. Exits non-zero on a JS console error, a page error, or PHP notice text in the page.
// Usage: node settings-page.mjs BASE_URL USER PASSWORD OUT.png
import { chromium } from 'playwright-core';

const [ base, user, pass, out ] = process.argv.slice( 2 );
const problems = [];
const browser = await chromium.launch( {
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	args: [ '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run' ],
} );
try {
	const page = await browser.newPage( { viewport: { width: 1280, height: 900 } } );
	page.on( 'console', ( m ) => {
		// Failed loads are judged below by URL and status, where the URL is known.
		if ( m.type() === 'error' && ! m.text().startsWith( 'Failed to load resource' ) ) {
			problems.push( 'console error: ' + m.text() );
		}
	} );
	page.on( 'pageerror', ( e ) => problems.push( 'page error: ' + e.message ) );
	// The test site blocks external hosts (emoji CDN etc.): only same-origin requests go out.
	await page.route( '**/*', ( route ) => ( route.request().url().startsWith( base ) ? route.continue() : route.abort() ) );
	page.on( 'requestfailed', ( r ) => {
		if ( r.url().startsWith( base ) ) {
			problems.push( 'request failed: ' + r.url() );
		}
	} );
	page.on( 'response', ( r ) => {
		const url = r.url();
		const deliberate = r.status() === 400 && r.request().method() === 'POST' && ( url.includes( 'aisle%2Fv1%2Fsettings' ) || url.includes( '/aisle/v1/settings' ) );
		if ( url.startsWith( base ) && r.status() >= 400 && ! url.endsWith( '/favicon.ico' ) && ! deliberate ) {
			problems.push( 'HTTP ' + r.status() + ' for ' + url );
		}
	} );
	await page.goto( base + '/wp-login.php' );
	await page.fill( '#user_login', user );
	await page.fill( '#user_pass', pass );
	await Promise.all( [ page.waitForNavigation(), page.click( '#wp-submit' ) ] );
	await page.goto( base + '/wp-admin/admin.php?page=aisle' );
	// Rendered by admin.js from the REST routes: wait until all three answered.
	await page.waitForFunction( () => document.getElementById( 'aisle-key-source' ).textContent !== ''
		&& document.getElementById( 'aisle-sync-text' ).textContent !== ''
		&& document.getElementById( 'aisle-license-status' ).textContent !== '' );
	await page.screenshot( { path: out, fullPage: true } );
	// A validation error is shown next to its field.
	await page.fill( '#aisle-support_email', 'not-an-email' );
	await page.click( '#aisle-save' );
	await page.waitForFunction( () => document.querySelector( '.aisle-field-error[data-field="support_email"]' ).textContent !== '' );
	const html = await page.content();
	for ( const needle of [ 'Fatal error', 'Warning: ', 'Notice: ', 'Deprecated: ' ] ) {
		if ( html.includes( needle ) ) {
			problems.push( 'page contains "' + needle + '"' );
		}
	}
	for ( const section of [ 'ai', 'license', 'appearance', 'assistant', 'catalog', 'remote' ] ) {
		if ( ! ( await page.$( '#aisle-section-' + section ) ) ) {
			problems.push( 'missing section ' + section );
		}
	}
	const unexpected = problems;
	if ( unexpected.length ) {
		console.error( unexpected.join( '\n' ) );
		process.exitCode = 1;
	} else {
		console.log( 'settings page ok: ' + out );
	}
} finally {
	await browser.close();
}
