<?php
/**
 * Store knowledge: uploaded documents, the site's published public pages and posts, the FAQ and the
 * policy pages, one pipeline for all: extracted by the extension (Aisle\Knowledge), cut into passages
 * and kept in the knowledge index (Aisle\KnowledgeIndex) beside the catalog's.
 *
 * Uploaded files are kept in the plugin's private folder (Storage: deny rules, never served) so a
 * document can be re-indexed after an extension upgrade without asking the merchant again; deleting the
 * source deletes the file. Extraction runs in an Action Scheduler job: a 200-page PDF never blocks a
 * request.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Knowledge;

use Aisle\Plugin\Installer;
use Aisle\Plugin\Storage;

defined( 'ABSPATH' ) || exit;

final class KnowledgeBase {

	public const OPTION        = 'aisle_knowledge';
	public const EXTRACT_HOOK  = 'aisle_knowledge_extract';
	public const POST_HOOK     = 'aisle_knowledge_post';
	public const MAX_DOCUMENTS = 500;
	/** Below this share of the question's words (weighed by rarity) a passage does not answer it. */
	public const MIN_COVERAGE = 0.7;

	public static function available(): bool {
		return class_exists( \Aisle\Knowledge::class ) && class_exists( \Aisle\KnowledgeIndex::class );
	}

	public function register(): void {
		add_action( self::EXTRACT_HOOK, array( $this, 'process' ) );
		add_action( self::POST_HOOK, array( $this, 'sync_post' ) );
		add_action( 'save_post', array( $this, 'post_changed' ), 20, 2 );
		add_action( 'trashed_post', array( $this, 'post_gone' ) );
		add_action( 'deleted_post', array( $this, 'post_gone' ) );
		add_action( 'update_option_aisle_store_facts', array( $this, 'sync_facts' ), 10, 2 );
	}

	/** Upload size limit in bytes (filter aisle_knowledge_max_bytes; 20 MB). */
	public static function max_bytes(): int {
		return (int) apply_filters( 'aisle_knowledge_max_bytes', 20 * MB_IN_BYTES );
	}

	private static function dir(): string {
		$dir = Storage::ensure_dir() . '/knowledge';
		if ( ! is_dir( "$dir/files" ) ) {
			wp_mkdir_p( "$dir/files" );
		}
		return $dir;
	}

	private static function index(): \Aisle\KnowledgeIndex {
		return \Aisle\KnowledgeIndex::open( self::dir() . '/index', array( 'language' => get_locale() ) );
	}

	/** @return array<string, array> Sources by id. */
	public function all(): array {
		return (array) get_option( self::OPTION, array() );
	}

	public function get( string $id ): ?array {
		return $this->all()[ $id ] ?? null;
	}

	private function put( array $source ): void {
		$all                  = $this->all();
		$all[ $source['id'] ] = $source;
		update_option( self::OPTION, $all, false );
	}

	/** Statuses of a source still waiting for (or inside) its job. */
	public const PENDING = array( 'queued', 'extracting' );

	/**
	 * A source as the REST routes show it (no file path): status queued, extracting, indexed or error,
	 * and progress, the share of its pipeline done (0 queued, 0.5 extracting, 1 finished).
	 */
	public static function view( array $s ): array {
		unset( $s['file'] );
		$s['progress'] = array( 'queued' => 0.0, 'extracting' => 0.5 )[ $s['status'] ] ?? 1.0;
		return $s;
	}

	/**
	 * Stores an uploaded file and queues its extraction. Returns the source (status 'queued').
	 *
	 * @throws \InvalidArgumentException With a reason (too_large, too_many, unsupported) and message.
	 */
	public function add_upload( string $tmp, string $filename, string $title ): array {
		if ( count( array_filter( $this->all(), static fn ( $s ) => 'upload' === $s['type'] ) ) >= self::MAX_DOCUMENTS ) {
			throw new \InvalidArgumentException( 'too_many:' . sprintf( /* translators: %d: limit */ __( 'The knowledge base holds at most %d documents.', 'aisle' ), self::MAX_DOCUMENTS ) );
		}
		$size = (int) filesize( $tmp );
		if ( $size > self::max_bytes() ) {
			throw new \InvalidArgumentException( 'too_large:' . sprintf( /* translators: %s: size */ __( 'The file is larger than %s.', 'aisle' ), size_format( self::max_bytes() ) ) );
		}
		try {
			$format = \Aisle\Knowledge::detect( (string) file_get_contents( $tmp ), $filename );
		} catch ( \Aisle\KnowledgeException $e ) {
			throw new \InvalidArgumentException( $e->reason() . ':' . $e->getMessage() );
		}
		$id   = 'doc:' . wp_generate_uuid4();
		$file = self::dir() . '/files/' . substr( $id, 4 ) . '.bin';
		if ( ! copy( $tmp, $file ) ) {
			throw new \InvalidArgumentException( 'io:' . __( 'The file could not be stored.', 'aisle' ) );
		}
		$source = array(
			'id'         => $id,
			'type'       => 'upload',
			'title'      => '' !== trim( $title ) ? sanitize_text_field( $title ) : sanitize_text_field( pathinfo( $filename, PATHINFO_FILENAME ) ),
			'filename'   => sanitize_file_name( $filename ),
			'format'     => $format,
			'url'        => null,
			'file'       => $file,
			'enabled'    => true,
			'status'     => 'queued',
			'error'      => null,
			'passages'   => 0,
			'pages'      => 0,
			'indexed_at' => null,
		);
		$this->put( $source );
		$this->queue( $id );
		return $source;
	}

	private function queue( string $id ): void {
		if ( function_exists( 'as_enqueue_async_action' ) ) {
			as_enqueue_async_action( self::EXTRACT_HOOK, array( $id ), Installer::ACTION_GROUP );
		} else {
			$this->process( $id );
		}
	}

	/** The Action Scheduler job: extracts an uploaded document and indexes its passages. */
	public function process( string $id ): void {
		$s = $this->get( $id );
		if ( ! $s || 'upload' !== $s['type'] ) {
			return;
		}
		// The admin's progress bar shows a job that has started apart from one still waiting.
		$s['status'] = 'extracting';
		$this->put( $s );
		try {
			// The stored copy is named .bin: the original name tells Markdown and HTML from plain text.
			$bytes    = is_file( $s['file'] ) && filesize( $s['file'] ) <= self::max_bytes() ? (string) file_get_contents( $s['file'] ) : '';
			$doc      = \Aisle\Knowledge::extract( $bytes, (string) $s['filename'], array( 'max_bytes' => self::max_bytes() ) );
			$passages = \Aisle\Knowledge::chunk( $doc['blocks'], array( 'id' => $id, 'title' => $s['title'], 'url' => null ) );
			if ( $s['enabled'] ) {
				self::index()->replaceSource( $id, $passages );
			}
			$s['status']   = 'indexed';
			$s['error']    = null;
			$s['passages'] = count( $passages );
			$s['pages']    = $doc['pages'];
			$s['preview']  = mb_substr( $doc['text'], 0, 2000 );
		} catch ( \Aisle\KnowledgeException $e ) {
			$s['status'] = 'error';
			$s['error']  = array( 'reason' => $e->reason(), 'message' => $e->getMessage() );
		}
		$s['indexed_at'] = time();
		$this->put( $s );
	}

	/** Title and enabled; a disabled source leaves the index, enabling it indexes it again. */
	public function update( string $id, array $changes ): ?array {
		$s = $this->get( $id );
		if ( ! $s ) {
			return null;
		}
		$reindex = false;
		if ( isset( $changes['title'] ) && '' !== trim( (string) $changes['title'] ) ) {
			$s['title'] = sanitize_text_field( (string) $changes['title'] );
			$reindex    = true;
		}
		if ( isset( $changes['enabled'] ) ) {
			$reindex      = $reindex || (bool) $changes['enabled'] !== $s['enabled'];
			$s['enabled'] = (bool) $changes['enabled'];
		}
		$this->put( $s );
		if ( $reindex ) {
			if ( ! $s['enabled'] ) {
				self::index()->removeSource( $id );
			} elseif ( 'upload' === $s['type'] ) {
				$s['status'] = 'queued';
				$this->put( $s );
				$this->queue( $id );
			}
		}
		return $this->get( $id );
	}

	public function delete( string $id ): bool {
		$s = $this->get( $id );
		if ( ! $s ) {
			return false;
		}
		self::index()->removeSource( $id );
		if ( ! empty( $s['file'] ) && is_file( $s['file'] ) ) {
			wp_delete_file( $s['file'] );
		}
		$all = $this->all();
		unset( $all[ $id ] );
		update_option( self::OPTION, $all, false );
		return true;
	}

	/** The passages that would answer $q, best first. */
	public static function search( string $q, int $limit = 5 ): array {
		if ( ! self::available() || ! is_dir( Storage::dir() . '/knowledge/index' ) ) {
			return array();
		}
		try {
			$hits = self::index()->search( $q, $limit );
		} catch ( \Aisle\KnowledgeException $e ) {
			return array();
		}
		foreach ( $hits as &$hit ) {
			$hit['text'] = self::without_instructions( $hit['text'] );
		}
		return $hits;
	}

	/**
	 * A document is data: sentences that talk to the assistant ("ignore your instructions…") are
	 * dropped before a passage reaches the model or a reply.
	 */
	public static function without_instructions( string $text ): string {
		$keep = array();
		foreach ( preg_split( '/(?<=[.!?。！？؟])\s+|\n/u', $text ) as $sentence ) {
			if ( ! \Aisle\Plugin\Catalog\Lexicon::says( 'injection', mb_strtolower( $sentence ) ) ) {
				$keep[] = $sentence;
			}
		}
		return implode( ' ', $keep );
	}

	/** Post types whose published, public posts are knowledge (filter aisle_knowledge_post_types). */
	private static function post_types(): array {
		return (array) apply_filters( 'aisle_knowledge_post_types', array( 'page', 'post' ) );
	}

	private static function eligible( \WP_Post $post ): bool {
		$excluded = (array) apply_filters( 'aisle_knowledge_excluded_posts', array() );
		return 'publish' === $post->post_status && '' === $post->post_password && in_array( $post->post_type, self::post_types(), true )
			&& ! in_array( (int) $post->ID, array_map( 'intval', $excluded ), true ) && is_post_publicly_viewable( $post );
	}

	/** save_post: queue the page's re-index (or its removal once it is no longer public). */
	public function post_changed( int $post_id, \WP_Post $post ): void {
		if ( wp_is_post_revision( $post_id ) || wp_is_post_autosave( $post_id ) || ! self::available() || ! in_array( $post->post_type, self::post_types(), true ) ) {
			return;
		}
		if ( function_exists( 'as_enqueue_async_action' ) ) {
			if ( ! as_has_scheduled_action( self::POST_HOOK, array( $post_id ), Installer::ACTION_GROUP ) ) {
				as_enqueue_async_action( self::POST_HOOK, array( $post_id ), Installer::ACTION_GROUP );
			}
		} else {
			$this->sync_post( $post_id );
		}
	}

	public function post_gone( int $post_id ): void {
		if ( self::available() && $this->get( "page:$post_id" ) ) {
			$this->delete( "page:$post_id" );
		}
	}

	/** The job: a page's passages made current, or removed when it is no longer public. */
	public function sync_post( int $post_id ): void {
		$post = get_post( $post_id );
		$id   = "page:$post_id";
		if ( ! $post || ! self::eligible( $post ) ) {
			if ( $this->get( $id ) ) {
				$this->delete( $id );
			}
			return;
		}
		$enabled = (bool) ( $this->get( $id )['enabled'] ?? true );
		$html    = '<h1>' . esc_html( get_the_title( $post ) ) . '</h1>' . apply_filters( 'the_content', $post->post_content ); // phpcs:ignore WordPress.NamingConventions.PrefixAllGlobals -- core filter.
		$this->index_blocks( $id, 'page', get_the_title( $post ), get_permalink( $post ), $html, $enabled );
	}

	/** The FAQ of the store facts, as a source like the others. */
	public function sync_facts( $old, $facts ): void {
		if ( ! self::available() || ! is_array( $facts ) ) {
			return;
		}
		$blocks = array();
		foreach ( (array) ( $facts['faq'] ?? array() ) as $e ) {
			if ( ! empty( $e['question'] ) && ! empty( $e['answer'] ) ) {
				$blocks[] = array( 'type' => 'heading', 'level' => 2, 'text' => (string) $e['question'] );
				$blocks[] = array( 'type' => 'paragraph', 'text' => wp_strip_all_tags( (string) $e['answer'] ) );
			}
		}
		// The policy pages are WordPress pages: sync_post() keeps them, like every public page.
		$this->index_prepared( 'faq', 'faq', __( 'FAQ', 'aisle' ), null, $blocks );
	}

	/** Queues every eligible page and post, and indexes the FAQ: the first run, or a full re-index. */
	public function sync_site(): int {
		$ids = get_posts(
			array(
				'post_type'      => self::post_types(),
				'post_status'    => 'publish',
				'has_password'   => false,
				'posts_per_page' => 2000,
				'fields'         => 'ids',
			)
		);
		foreach ( $ids as $post_id ) {
			if ( function_exists( 'as_enqueue_async_action' ) ) {
				as_enqueue_async_action( self::POST_HOOK, array( (int) $post_id ), Installer::ACTION_GROUP );
			} else {
				$this->sync_post( (int) $post_id );
			}
		}
		$this->sync_facts( null, get_option( StoreFacts::OPTION ) );
		return count( $ids );
	}

	private function index_blocks( string $id, string $type, string $title, ?string $url, string $html, bool $enabled ): void {
		try {
			$doc = \Aisle\Knowledge::extract( $html, 'page.html' );
		} catch ( \Aisle\KnowledgeException $e ) {
			return;
		}
		$this->index_prepared( $id, $type, $title, $url, $doc['blocks'], $enabled );
	}

	private function index_prepared( string $id, string $type, string $title, ?string $url, array $blocks, bool $enabled = true ): void {
		$passages = $blocks ? \Aisle\Knowledge::chunk( $blocks, array( 'id' => $id, 'title' => $title, 'url' => $url ?: null ) ) : array();
		if ( $enabled ) {
			self::index()->replaceSource( $id, $passages );
		}
		$this->put(
			array(
				'id'         => $id,
				'type'       => $type,
				'title'      => $title,
				'url'        => $url ?: null,
				'enabled'    => $enabled,
				'status'     => 'indexed',
				'error'      => null,
				'passages'   => count( $passages ),
				'pages'      => 0,
				'indexed_at' => time(),
			)
		);
	}

	/**
	 * The built-in answer from knowledge: the sentences of the best passage that share the question's
	 * words (never the whole passage), and its source. Null below MIN_COVERAGE.
	 *
	 * @return array{text: string, title: string, url: ?string, coverage: float}|null
	 */
	public static function answer( string $question ): ?array {
		$hits = self::search( $question, 3 );
		if ( ! $hits || $hits[0]['coverage'] < self::MIN_COVERAGE ) {
			return null;
		}
		$hit   = $hits[0];
		$words = array_filter( preg_split( '/[^\p{L}\p{N}]+/u', mb_strtolower( $question ) ), static fn ( $w ) => mb_strlen( $w ) > 2 );
		$lines = preg_split( '/(?<=[.!?。！？؟])\s+|\n/u', $hit['text'] );
		$keep  = array();
		foreach ( $lines as $line ) {
			$lower = mb_strtolower( $line );
			foreach ( $words as $w ) {
				if ( str_contains( $lower, mb_substr( $w, 0, max( 4, mb_strlen( $w ) - 2 ) ) ) ) {
					$keep[] = trim( $line );
					break;
				}
			}
		}
		$text = implode( ' ', array_slice( $keep ?: array_slice( $lines, 0, 2 ), 0, 3 ) );
		return array( 'text' => $text, 'title' => $hit['title'], 'url' => $hit['url'], 'coverage' => $hit['coverage'] );
	}
}
