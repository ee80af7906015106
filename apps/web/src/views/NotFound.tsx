import { Link } from 'react-router-dom';

export function NotFound() {
  return (
    <div className="state">
      <h1>Page not found</h1>
      <p>
        This address is not a svcpath view. Go to the <Link to="/">overview</Link> or{' '}
        <Link to="/diagnostics">diagnostics</Link>.
      </p>
    </div>
  );
}
