<?php
/**
 * WooCommerce → Aisle → Knowledge: upload documents (several at once, a progress line per file), the
 * sources with type, passages, last indexed, status and error, a preview of each one's extracted text,
 * enable/disable, re-index of the site's pages, delete, and a "Try a question" box showing the passages
 * that would answer it with their scores. Everything goes through the knowledge REST routes.
 *
 * @package Aisle
 */

namespace Aisle\Plugin\Knowledge;

use Aisle\Plugin\Admin\AdminMenu;
use Aisle\Plugin\RestController;

defined( 'ABSPATH' ) || exit;

final class KnowledgeScreen {

	public function __construct( private KnowledgeBase $base ) {}

	public function register(): void {
		add_filter( 'aisle_admin_tabs', array( $this, 'tab' ), 7 );
		add_action( 'aisle_admin_enqueue', array( $this, 'assets' ) );
	}

	public function tab( array $tabs ): array {
		return $tabs + array( 'knowledge' => array( __( 'Knowledge', 'aisle' ), AdminMenu::CAP, array( $this, 'render' ) ) );
	}

	public function assets( string $tab ): void {
		if ( 'knowledge' !== $tab ) {
			return;
		}
		wp_enqueue_script( 'aisle-knowledge', plugins_url( 'assets/knowledge.js', AISLE_FILE ), array( 'wp-api-fetch', 'wp-i18n' ), AISLE_VERSION, true );
		wp_set_script_translations( 'aisle-knowledge', 'aisle', dirname( AISLE_FILE ) . '/languages' );
		wp_add_inline_script( 'aisle-knowledge', 'window.aisleKnowledge = ' . wp_json_encode( array( 'namespace' => RestController::NAMESPACE, 'maxBytes' => KnowledgeBase::max_bytes(), 'pollMs' => (int) apply_filters( 'aisle_knowledge_poll_ms', 2000 ) ) ) . ';', 'before' );
	}

	public function render(): void {
		$pending = count( array_filter( $this->base->all(), static fn ( $s ) => $s['enabled'] && in_array( $s['status'], KnowledgeBase::PENDING, true ) ) );
		$types   = array( 'upload' => __( 'Document', 'aisle' ), 'page' => __( 'Page', 'aisle' ), 'faq' => __( 'FAQ', 'aisle' ) );
		?>
		<div class="aisle-knowledge">
			<h2><?php esc_html_e( 'Knowledge', 'aisle' ); ?></h2>
			<p><?php esc_html_e( 'Brand documents and the store\'s public pages the assistant quotes, with their source. PDF, DOCX, Markdown, HTML and text files; password-protected, private and draft pages are never used.', 'aisle' ); ?></p>
			<form id="aisle-knowledge-upload" class="aisle-knowledge-drop">
				<label for="aisle-knowledge-files"><?php esc_html_e( 'Drop files here or choose them', 'aisle' ); ?></label>
				<input type="file" id="aisle-knowledge-files" name="file" multiple accept=".pdf,.docx,.md,.markdown,.html,.htm,.txt">
				<button type="submit" class="button button-primary"><?php esc_html_e( 'Upload', 'aisle' ); ?></button>
				<button type="button" class="button" id="aisle-knowledge-sync"><?php esc_html_e( 'Re-index pages', 'aisle' ); ?></button>
				<ul id="aisle-knowledge-progress" aria-live="polite"></ul>
			</form>
			<?php // Documents done of those pending when the page loaded (or uploaded since); knowledge.js moves it as the jobs finish. ?>
			<div id="aisle-knowledge-jobs" <?php echo $pending ? '' : 'hidden'; ?>>
				<label for="aisle-knowledge-bar" id="aisle-knowledge-bar-label">
					<?php /* translators: 1: documents done, 2: documents in all */ echo esc_html( sprintf( __( 'Extracting and indexing: %1$d of %2$d documents done', 'aisle' ), 0, $pending ) ); ?>
				</label>
				<progress id="aisle-knowledge-bar" aria-labelledby="aisle-knowledge-bar-label" max="<?php echo esc_attr( (string) max( 1, $pending ) ); ?>" value="0"></progress>
			</div>
			<table class="widefat striped" id="aisle-knowledge-sources">
				<thead><tr>
					<th><?php esc_html_e( 'Title', 'aisle' ); ?></th><th><?php esc_html_e( 'Type', 'aisle' ); ?></th><th><?php esc_html_e( 'Passages', 'aisle' ); ?></th>
					<th><?php esc_html_e( 'Last indexed', 'aisle' ); ?></th><th><?php esc_html_e( 'Status', 'aisle' ); ?></th><th><?php esc_html_e( 'Actions', 'aisle' ); ?></th>
				</tr></thead>
				<tbody>
				<?php foreach ( $this->base->all() as $s ) : ?>
					<tr data-id="<?php echo esc_attr( $s['id'] ); ?>">
						<td><?php echo $s['url'] ? '<a href="' . esc_url( $s['url'] ) . '">' . esc_html( $s['title'] ) . '</a>' : esc_html( $s['title'] ); ?>
							<?php if ( ! empty( $s['preview'] ) ) : ?>
								<details><summary><?php esc_html_e( 'Extracted text', 'aisle' ); ?></summary><pre class="aisle-knowledge-preview"><?php echo esc_html( $s['preview'] ); ?></pre></details>
							<?php endif; ?>
						</td>
						<td><?php echo esc_html( $types[ $s['type'] ] ?? $s['type'] ); ?><?php echo ! empty( $s['format'] ) ? ' (' . esc_html( strtoupper( $s['format'] ) ) . ')' : ''; ?></td>
						<td><?php echo esc_html( (string) $s['passages'] ); ?></td>
						<td><?php echo $s['indexed_at'] ? esc_html( wp_date( get_option( 'date_format' ) . ' ' . get_option( 'time_format' ), (int) $s['indexed_at'] ) ) : '—'; ?></td>
						<td class="aisle-knowledge-status"><?php echo esc_html( $s['enabled'] ? $s['status'] : __( 'disabled', 'aisle' ) ); ?><?php echo ! empty( $s['error']['message'] ) ? '<br><span class="aisle-error">' . esc_html( $s['error']['message'] ) . '</span>' : ''; ?></td>
						<td>
							<button type="button" class="button-link" data-action="toggle" data-enabled="<?php echo $s['enabled'] ? '1' : '0'; ?>"><?php $s['enabled'] ? esc_html_e( 'Disable', 'aisle' ) : esc_html_e( 'Enable', 'aisle' ); ?></button>
							| <button type="button" class="button-link aisle-delete" data-action="delete"><?php esc_html_e( 'Delete', 'aisle' ); ?></button>
						</td>
					</tr>
				<?php endforeach; ?>
				</tbody>
			</table>
			<h3><?php esc_html_e( 'Try a question', 'aisle' ); ?></h3>
			<form id="aisle-knowledge-try">
				<input type="search" id="aisle-knowledge-q" class="regular-text" placeholder="<?php esc_attr_e( 'What is your return policy?', 'aisle' ); ?>">
				<button type="submit" class="button"><?php esc_html_e( 'Show passages', 'aisle' ); ?></button>
			</form>
			<ol id="aisle-knowledge-hits"></ol>
		</div>
		<?php
	}
}
