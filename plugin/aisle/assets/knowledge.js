/* Knowledge tab: uploads (one request per file, a progress line each), a progress bar of the extraction jobs,
 * enable/disable, delete, re-index, try box. */
( function () {
	const { __, sprintf } = wp.i18n;
	const ns = '/' + window.aisleKnowledge.namespace;
	const $ = ( id ) => document.getElementById( id );
	const progress = $( 'aisle-knowledge-progress' );
	const line = ( text ) => {
		const li = document.createElement( 'li' );
		li.textContent = text;
		progress.appendChild( li );
		return li;
	};
	// The jobs run in Action Scheduler: the list is polled until none of the watched documents is pending.
	const pending = [ 'queued', 'extracting' ];
	const watched = new Set();
	let polling = false;
	const showJobs = ( done ) => {
		const bar = $( 'aisle-knowledge-bar' );
		bar.max = Math.max( 1, watched.size );
		bar.value = done;
		$( 'aisle-knowledge-bar-label' ).textContent = sprintf( __( 'Extracting and indexing: %1$d of %2$d documents done', 'aisle' ), done, watched.size );
		$( 'aisle-knowledge-jobs' ).hidden = false;
	};
	const poll = async () => {
		let sources;
		try {
			sources = await wp.apiFetch( { path: ns + '/knowledge' } );
		} catch ( e ) {
			setTimeout( poll, window.aisleKnowledge.pollMs * 2 );
			return;
		}
		const byId = new Map( sources.map( ( s ) => [ s.id, s ] ) );
		let done = 0;
		for ( const id of watched ) {
			const s = byId.get( id );
			// A source deleted meanwhile counts as done: nothing is left to wait for.
			done += ! s || ! s.enabled || ! pending.includes( s.status ) ? 1 : 0;
			const cell = s && document.querySelector( '#aisle-knowledge-sources tr[data-id="' + CSS.escape( id ) + '"] .aisle-knowledge-status' );
			if ( cell && s.enabled ) {
				cell.textContent = s.status;
			}
		}
		showJobs( done );
		if ( done < watched.size ) {
			setTimeout( poll, window.aisleKnowledge.pollMs );
			return;
		}
		polling = false;
		$( 'aisle-knowledge-jobs' ).hidden = true;
		window.location.reload();
	};
	const watch = ( ids ) => {
		ids.forEach( ( id ) => watched.add( id ) );
		if ( ! polling && watched.size ) {
			polling = true;
			poll();
		}
	};
	if ( ! $( 'aisle-knowledge-jobs' ).hidden ) {
		wp.apiFetch( { path: ns + '/knowledge' } ).then( ( sources ) => watch( sources.filter( ( s ) => s.enabled && pending.includes( s.status ) ).map( ( s ) => s.id ) ) );
	}
	const upload = async ( files ) => {
		const queued = [];
		for ( const file of files ) {
			const li = line( sprintf( __( '%s: uploading…', 'aisle' ), file.name ) );
			if ( file.size > window.aisleKnowledge.maxBytes ) {
				li.textContent = sprintf( __( '%s: the file is too large.', 'aisle' ), file.name );
				continue;
			}
			const body = new FormData();
			body.append( 'file', file );
			try {
				const r = await wp.apiFetch( { path: ns + '/knowledge', method: 'POST', body } );
				li.textContent = sprintf( __( '%1$s: %2$s', 'aisle' ), file.name, 'queued' === r.status ? __( 'queued for extraction', 'aisle' ) : __( 'indexed', 'aisle' ) );
				if ( pending.includes( r.status ) ) {
					queued.push( r.id );
				}
			} catch ( e ) {
				li.textContent = sprintf( __( '%1$s: %2$s', 'aisle' ), file.name, e.message || __( 'failed', 'aisle' ) );
			}
		}
		if ( queued.length ) {
			queued.forEach( ( id ) => watched.add( id ) );
			showJobs( 0 );
			watch( [] );
		} else if ( ! polling ) {
			setTimeout( () => window.location.reload(), 1500 );
		}
	};
	const form = $( 'aisle-knowledge-upload' );
	form.addEventListener( 'submit', ( e ) => {
		e.preventDefault();
		upload( Array.from( $( 'aisle-knowledge-files' ).files ) );
	} );
	form.addEventListener( 'dragover', ( e ) => e.preventDefault() );
	form.addEventListener( 'drop', ( e ) => {
		e.preventDefault();
		upload( Array.from( e.dataTransfer.files ) );
	} );
	$( 'aisle-knowledge-sync' ).addEventListener( 'click', async () => {
		const r = await wp.apiFetch( { path: ns + '/knowledge/sync', method: 'POST' } );
		line( sprintf( __( '%d pages queued for indexing.', 'aisle' ), r.queued ) );
	} );
	$( 'aisle-knowledge-sources' ).addEventListener( 'click', async ( e ) => {
		const button = e.target.closest( 'button[data-action]' );
		if ( ! button ) {
			return;
		}
		const id = button.closest( 'tr' ).dataset.id;
		const path = ns + '/knowledge/' + encodeURIComponent( id );
		if ( 'delete' === button.dataset.action ) {
			if ( ! window.confirm( __( 'Delete this source and its passages?', 'aisle' ) ) ) {
				return;
			}
			await wp.apiFetch( { path, method: 'DELETE' } );
		} else {
			await wp.apiFetch( { path, method: 'PATCH', data: { enabled: '1' !== button.dataset.enabled } } );
		}
		window.location.reload();
	} );
	$( 'aisle-knowledge-try' ).addEventListener( 'submit', async ( e ) => {
		e.preventDefault();
		const list = $( 'aisle-knowledge-hits' );
		list.textContent = '';
		const hits = await wp.apiFetch( { path: ns + '/knowledge/search?q=' + encodeURIComponent( $( 'aisle-knowledge-q' ).value ) } );
		if ( ! hits.length ) {
			list.appendChild( document.createElement( 'li' ) ).textContent = __( 'No passage answers this.', 'aisle' );
		}
		for ( const h of hits ) {
			const li = list.appendChild( document.createElement( 'li' ) );
			li.appendChild( document.createElement( 'strong' ) ).textContent = h.title + ( h.heading ? ' › ' + h.heading : '' );
			li.appendChild( document.createTextNode( ' ' + sprintf( __( 'score %1$s, coverage %2$s%%', 'aisle' ), h.score.toFixed( 2 ), Math.round( h.coverage * 100 ) ) ) );
			li.appendChild( document.createElement( 'p' ) ).textContent = h.text;
		}
	} );
} )();
